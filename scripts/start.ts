import { LMS_DEV_LEARNER_PASSWORD } from '../simulators/lms/createLmsOAuthSimulator';
import { createLogger } from '../platform/createLogger';
import { DEV_SUBGRAPH_SHARED_SECRET, SUBGRAPH_SECRET_HEADER } from '../platform/http/subgraphSecret';
import { runMain } from '../platform/runMain';
import { createLocalStack } from './createLocalStack';
import { startWorkerProcess } from './startWorkerProcess';

// `npm start`: the stack in one process, on simulators for every upstream whose URL is unset; with
// REDIS_URL, the deferred-refund worker runs beside it as its own process, as it is deployed.
runMain(async () => {
  const level = process.env.LOG_LEVEL ?? 'info';
  const logger = createLogger('start', level);
  const stack = await createLocalStack({
    env: process.env,
    logger: (name) => createLogger(name, level),
    refundWorker: false,
  });
  const worker = stack.upstreamEnv.REDIS_URL
    ? startWorkerProcess(stack.upstreamEnv, (code) =>
        // The rest keeps serving; deferred refunds wait in Redis until a worker runs again.
        logger.error({ code }, 'refund worker exited; deferred refunds wait in Redis until one runs'),
      )
    : null;
  // The worker listens before it connects to Redis, so its URL comes in moments after it starts.
  const workerUrl = worker ? await worker.url : null;
  const lines = [
    '',
    'Switchyard is running.',
    `  explorer          ${stack.gatewayUrl}/`,
    `  gateway           ${stack.gatewayUrl}/graphql   (/healthz /readyz)`,
    `  orders subgraph   ${stack.ordersUrl}/graphql   (gateway only, see below)`,
    `  catalog subgraph  ${stack.catalogUrl}/graphql   (gateway only, see below)`,
    `  admin ports       ${stack.adminUrls.gateway}  ${stack.adminUrls.orders}  ${stack.adminUrls.catalog}   (/metrics /status /healthz /readyz)`,
    ...(worker
      ? [
          workerUrl
            ? `  refund worker     ${workerUrl}/status   (pid ${worker.pid}, its own process; /healthz /readyz /metrics)`
            : `  refund worker     pid ${worker.pid}   (its own process; not listening, see its log)`,
        ]
      : []),
    ...(stack.simulators.legacy ? [`  legacy ecommerce  ${stack.simulators.legacy.url}   (simulator)`] : []),
    ...(stack.simulators.discovery
      ? [`  discovery         ${stack.simulators.discovery.url}   (simulator)`]
      : []),
    ...(stack.simulators.vendor ? [`  vendor commerce   ${stack.simulators.vendor.url}   (simulator)`] : []),
    ...(stack.simulators.lms
      ? [
          `  LMS               ${stack.simulators.lms.url}/login   (simulator; sign-in, /auth/jwks.json, /oauth2/access_token)`,
        ]
      : []),
    '',
    ...(stack.simulators.legacy
      ? [
          'Demo token for learner1, signed by the LMS simulator (pre-filled in the explorer):',
          `  Authorization: JWT ${stack.demoToken}`,
          '',
        ]
      : []),
    ...(stack.simulators.lms
      ? [
          `Sign in as an MFE does (learner1…learner50 or staff, password ${LMS_DEV_LEARNER_PASSWORD}): the LMS sets the two JWT cookies,`,
          '  and the gateway reads them with USE-JWT-COOKIE: true (from an origin in CORS_ORIGIN_WHITELIST):',
          `  curl -c /tmp/lms.jar -d 'email_or_username=learner1&password=${LMS_DEV_LEARNER_PASSWORD}' ${stack.simulators.lms.url}/api/user/v2/account/login_session/`,
          `  curl -b /tmp/lms.jar -H 'USE-JWT-COOKIE: true' -H 'content-type: application/json' -d '{"query":"{ orderHistory { count } }"}' ${stack.gatewayUrl}/graphql`,
          `A token for any learner: npm run token -- learner2 --lms ${stack.simulators.lms.url}`,
          '',
        ]
      : []),
    // The development default is public anyway; a configured secret is never printed.
    stack.subgraphSecret === DEV_SUBGRAPH_SHARED_SECRET
      ? `Subgraphs answer only the gateway; to call one directly, send\n  ${SUBGRAPH_SECRET_HEADER}: ${DEV_SUBGRAPH_SHARED_SECRET}\n`
      : `Subgraphs answer only the gateway; to call one directly, send ${SUBGRAPH_SECRET_HEADER}: <SUBGRAPH_SHARED_SECRET>\n`,
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return {
    // The worker first: it would only fail against simulators that are already gone.
    stop: async () => {
      await worker?.stop();
      await stack.stop();
    },
  };
});
