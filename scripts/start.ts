import { createLogger } from '../platform/createLogger';
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
    `  gateway           ${stack.gatewayUrl}/graphql   (/healthz /readyz /metrics)`,
    `  orders subgraph   ${stack.ordersUrl}/graphql`,
    `  catalog subgraph  ${stack.catalogUrl}/graphql`,
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
    '',
    ...(stack.simulators.legacy
      ? [
          'Demo token for learner1 (pre-filled in the explorer):',
          `  Authorization: JWT ${stack.demoToken}`,
          '',
        ]
      : []),
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
