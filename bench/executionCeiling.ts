import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { z } from 'zod';
import { signToken } from '../platform/auth/signToken';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { env, parseEnv } from '../platform/config/parseEnv';
import { LOAD_TEST_THROTTLE_RATE } from '../simulators/legacy/createLegacyEcommerceSimulator';
import { VENDOR_DEV_PROJECT, vendorReceiptBaseUrl } from '../simulators/vendor/createVendorSimulator';
import type * as colocatedConfigModule from '../colocated/colocatedConfig';
import type * as plainVariantsModule from './ceiling/plainVariants';
import type * as switchyardVariantsModule from './ceiling/switchyardVariants';
import type { CeilingVariant } from './ceiling/CeilingVariant';
import { checkAnswers, checkedLearners } from './ceiling/checkAnswers';
import { formatCeiling } from './ceiling/formatCeiling';
import { measureBatches } from './ceiling/measureBatches';
import { startCeilingProfile } from './ceiling/profileCeiling';
import { startLoadDriver } from './ceiling/startLoadDriver';
import { freePorts } from './freePorts';
import { learnersWithOrders } from './orderHistoryQuery';
import { startProcess } from './startProcess';

// MEASUREMENT ONLY (issue 25; `npm run bench:ceiling`, bench/PROFILE.md "the execution ceiling"): how
// far could execution go? In ONE process, the bench's order-history page served five ways, over the
// same simulators (a child process) and the same load (a forked driver, so this process's CPU is the
// server side alone):
//   A. Switchyard co-located (createColocatedGateway), as it ships;
//   B. the plain co-located stack's worker (stock ApolloGateway + LocalGraphQLDataSource);
//   C. one graphql-js pass over the plain resolvers, behind a bare node:http endpoint;
//   D. one graphql-js pass over our resolvers and contexts, behind our gateway's Apollo server and guards;
//   E. D's single pass behind a bare node:http endpoint instead (D − E: what the gateway's pipeline costs).
// CPU per page from process.cpuUsage() in interleaved batches; every variant's answer checked first.

const config = parseEnv(
  {
    CEILING_BATCHES: z.coerce.number().int().min(1).default(5),
    CEILING_PAGES: z.coerce.number().int().min(20).default(600),
    CEILING_WARMUP_PAGES: z.coerce.number().int().min(0).default(600),
    CEILING_CONCURRENCY: z.coerce.number().int().min(1).default(20),
    // The bench's 600 (598 with orders): the load must rotate over at least 500 learners (issue 25).
    CEILING_LEARNERS: z.coerce.number().int().min(50).default(600),
    CEILING_VARIANTS: z
      .string()
      .regex(/^[ABCDE]+$/, 'letters among A, B, C, D, E')
      .default('ABCDE'),
    // Letters of the variants to profile over the measured rounds (profileCeiling.ts); none by default.
    CEILING_PROFILE: z
      .string()
      .regex(/^[ABCDE]*$/, 'letters among A, B, C, D, E')
      .default(''),
    LOG_LEVEL: env.logLevel(),
  },
  process.env,
);

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const [legacyPort, discoveryPort, vendorPort, lmsPort] = await freePorts(4);
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  const vendorProject = {
    VENDOR_PROJECT_KEY: process.env.VENDOR_PROJECT_KEY ?? VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: process.env.VENDOR_CLIENT_ID ?? VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: process.env.VENDOR_CLIENT_SECRET ?? VENDOR_DEV_PROJECT.clientSecret,
  };
  const simulators = startProcess('simulators', `${__dirname}/../simulators/main.js`, {
    ...process.env,
    ...vendorProject,
    NODE_OPTIONS: '',
    LOG_LEVEL: 'warn',
    LEGACY_SIMULATOR_PORT: String(legacyPort),
    DISCOVERY_SIMULATOR_PORT: String(discoveryPort),
    VENDOR_SIMULATOR_PORT: String(vendorPort),
    LMS_SIMULATOR_PORT: String(lmsPort),
    LEGACY_SIMULATOR_THROTTLE_RATE: process.env.LEGACY_SIMULATOR_THROTTLE_RATE ?? LOAD_TEST_THROTTLE_RATE,
    SIMULATOR_LEARNERS: String(config.CEILING_LEARNERS),
  });
  const driver = startLoadDriver();
  const variants: CeilingVariant[] = [];
  try {
    await simulators.waitFor(`${url(vendorPort)}/__sim/stats`);
    // What the bench gives the co-located stack (bench/startStack.ts), set before any module that
    // reads the environment when loaded (the plain ones) is required. No REDIS_URL: one process needs
    // none, and the stale-if-error copies stay in memory (no shared keys written).
    delete process.env.REDIS_URL;
    Object.assign(process.env, {
      ...vendorProject,
      SUBGRAPH_SHARED_SECRET: process.env.SUBGRAPH_SHARED_SECRET ?? randomBytes(32).toString('hex'),
      LMS_OAUTH2_URL: `${url(lmsPort)}/oauth2`,
      LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
      RATE_LIMIT_ENABLED: process.env.RATE_LIMIT_ENABLED ?? 'false',
      LEGACY_ECOMMERCE_URL: url(legacyPort),
      VENDOR_API_URL: url(vendorPort),
      VENDOR_AUTH_URL: url(vendorPort),
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(url(vendorPort)),
      DISCOVERY_URL: url(discoveryPort),
    });
    const learners = learnersWithOrders(config.CEILING_LEARNERS);
    const jwt = parseJwtEnv(process.env);
    const authorizationOf = (u: string) => `JWT ${signToken(u, jwt, { expiresInSeconds: 24 * 3600 })}`;
    await driver.ask({ kind: 'init', authorizations: learners.map(authorizationOf) }, 'ready');
    variants.push(...(await startVariants(config.CEILING_VARIANTS)));
    const checked = checkedLearners(learners);
    const problems = await checkAnswers(variants, driver, checked, authorizationOf);
    if (problems.length > 0) throw new Error(`the variants answer differently:\n${problems.join('\n')}`);
    log(
      `answers identical to B's for ${checked.join(', ')}; warming up (${config.CEILING_WARMUP_PAGES} pages each)`,
    );
    const settings = { pages: config.CEILING_PAGES, concurrency: config.CEILING_CONCURRENCY };
    if (config.CEILING_WARMUP_PAGES > 0)
      await measureBatches(
        variants,
        driver,
        { ...settings, batches: 1, pages: config.CEILING_WARMUP_PAGES },
        () => {},
      );
    const before = loadavg();
    log(
      `measuring: ${config.CEILING_BATCHES} rounds × ${settings.pages} pages, ${settings.concurrency} in flight, ${learners.length} learners`,
    );
    const profiler = config.CEILING_PROFILE ? await startCeilingProfile() : undefined;
    const results = await measureBatches(
      variants,
      driver,
      { ...settings, batches: config.CEILING_BATCHES },
      log,
    );
    if (profiler) log(`profiles: ${await profiler.stop(variants, results, config.CEILING_PROFILE)}`);
    const failed = [...results.values()].flat().find((b) => b.errors > 0);
    process.stdout.write(
      `\nExecution ceiling, one process (node ${process.version}, NODE_OPTIONS=${JSON.stringify(process.env.NODE_OPTIONS ?? '')}; ` +
        `${config.CEILING_BATCHES} rounds × ${settings.pages} pages, ${settings.concurrency} in flight, ${learners.length} learners; ` +
        `loadavg before ${before.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')})\n\n` +
        `${formatCeiling(variants, results)}\n`,
    );
    if (failed) throw new Error(`errors under load, e.g. ${failed.firstError}`);
  } finally {
    driver.stop();
    await Promise.all(variants.map((v) => v.stop().catch(() => undefined)));
    await simulators.stop();
  }
}

/** The variants asked for, in letter order, each listening on port 0 in this process. */
async function startVariants(letters: string): Promise<CeilingVariant[]> {
  /* eslint-disable @typescript-eslint/no-require-imports -- after the environment is set */
  const { parseColocatedConfig } = require('../colocated/colocatedConfig') as typeof colocatedConfigModule;
  const ours = require('./ceiling/switchyardVariants') as typeof switchyardVariantsModule;
  const plain = require('./ceiling/plainVariants') as typeof plainVariantsModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const colocated = parseColocatedConfig(process.env);
  const starts: Record<CeilingVariant['id'], () => Promise<CeilingVariant>> = {
    A: () => ours.startColocated(colocated),
    B: () => plain.startPlainColocated(),
    C: () => plain.startSinglePassPlain(),
    D: () => ours.startSinglePassOurs(colocated),
    E: () => ours.startSinglePassOursBare(colocated),
  };
  const started: CeilingVariant[] = [];
  for (const id of ['A', 'B', 'C', 'D', 'E'] as const)
    if (letters.includes(id)) started.push(await starts[id]());
  return started;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
