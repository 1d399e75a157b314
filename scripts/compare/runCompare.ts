import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { Identity } from '../../platform/auth/Identity';
import { signToken } from '../../platform/auth/signToken';
import { isConfigError } from '../../platform/config/ConfigError';
import type { Env } from '../../platform/config/parseEnv';
import { diffOrderLists } from '../../subgraphs/orders/layers/shadow/diffOrderLists';
import { ORDERS_MODES, isOrdersMode } from '../../subgraphs/orders/config/ordersMode';
import { parseOrdersConfig } from '../../subgraphs/orders/config/ordersConfig';
import { createOrderSystems } from '../../subgraphs/orders/backends/createOrderSystems';
import { historiesOf } from '../../subgraphs/orders/layers/historiesOf';
import { CompareSummary, WORST_USERS } from './CompareSummary';
import { forEachConcurrently } from './forEachConcurrently';
import { formatSummary } from './formatSummary';
import { formatUserReport, type UserComparison } from './formatUserReport';
import { readWholeHistory } from './readWholeHistory';
import { MAX_USERS, usersToCompare } from './usersToCompare';

/**
 * Users compared at once, at most: each reads two histories page by page, so this is also the bound
 * on requests in flight to each system. The legacy API throttles per user, and every read here is
 * made as one staff user, so more would mostly wait.
 */
export const MAX_CONCURRENCY = 16;
export const DEFAULT_CONCURRENCY = 4;

export const USAGE = `usage: npm run compare -- [--primary <mode>] [--shadow <mode>] [--learners <from>-<to>]
                          [--users-file <path>] [--concurrency <n>] [--summary] [--json] [<username>...]

Reads each user's whole order history (every page) from two orders modes, default legacy vs vendor,
and compares them as the shadow layer does. Upstreams and credentials come from the environment,
exactly as for the orders subgraph (LEGACY_ECOMMERCE_URL, VENDOR_*, JWT_*); see docs/rollout-and-shadow.md.
Modes: ${ORDERS_MODES.join(', ')}.

Users: the usernames given, --learners 1-50 (the simulators' seeded learner1…learner50), and
--users-file (one username per line, # comments), each compared once; at most ${MAX_USERS} a run.
--concurrency: users compared at once, 1 to ${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY}).
After each user's report comes a summary: users and orders by outcome, the mismatch rate per field,
the ${WORST_USERS} users with the most differing orders. --summary prints the summary only;
--json prints the summary as one JSON document instead of text.

Exit status: 0 every history identical, 1 differences found, 2 usage, configuration or upstream error.`;

export interface CompareIo {
  out(text: string): void;
  err(text: string): void;
}

/** `npm run compare`, minus the process: returns the exit status (tests call it directly). */
export async function runCompare(
  argv: readonly string[],
  env: Env,
  io: CompareIo,
  logger: Logger,
): Promise<number> {
  const usage = (problem: string) => {
    io.err(`${problem}\n\n${USAGE}`);
    return 2;
  };
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        primary: { type: 'string', default: 'legacy' },
        shadow: { type: 'string', default: 'vendor' },
        learners: { type: 'string' },
        'users-file': { type: 'string' },
        concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
        summary: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  if (args.values.help) {
    io.out(USAGE);
    return 0;
  }
  const [primaryMode, shadowMode] = [args.values.primary, args.values.shadow];
  const concurrency = Number(args.values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    return usage(`--concurrency "${args.values.concurrency}": a whole number from 1 to ${MAX_CONCURRENCY}.`);
  }
  const wanted = usersToCompare({
    positionals: args.positionals,
    learners: args.values.learners,
    usersFile: args.values['users-file'],
  });
  if ('problem' in wanted) return usage(wanted.problem);
  const { users } = wanted;
  // JSON or the summary alone: no report per user on stdout.
  const perUser = !args.values.summary && !args.values.json;
  for (const mode of [primaryMode, shadowMode]) {
    if (!isOrdersMode(mode)) return usage(`Unknown mode "${mode}": use one of ${ORDERS_MODES.join(', ')}.`);
  }
  if (primaryMode === shadowMode) return usage(`--primary and --shadow are both ${primaryMode}.`);

  let config;
  try {
    config = parseOrdersConfig(env);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.err(
      `${error.message}\n\nnpm run compare reads the orders subgraph's configuration; see docs/rollout-and-shadow.md.`,
    );
    return 2;
  }
  const systems = createOrderSystems(config, logger);
  try {
    const histories = historiesOf(systems, logger);
    const primary = histories[primaryMode as keyof typeof histories];
    const shadow = histories[shadowMode as keyof typeof histories];
    if (!primary || !shadow) {
      io.err(
        'Comparing with the vendor needs its configuration: set VENDOR_API_URL, VENDOR_AUTH_URL, ' +
          'VENDOR_PROJECT_KEY, VENDOR_CLIENT_ID, VENDOR_CLIENT_SECRET and VENDOR_RECEIPT_BASE_URL.',
      );
      return 2;
    }
    // Staff, so every user's history is readable; signed with the subgraph's own JWT settings,
    // short-lived, and signed again for each user: a run over many users outlasts any one token.
    const identity = (): Identity => ({
      username: 'switchyard-compare',
      isStaff: true,
      token: signToken('switchyard-compare', config.jwt, { staff: true, expiresInSeconds: 900 }),
    });
    const summary = new CompareSummary(primaryMode, shadowMode);
    // Reports are printed in the order the users were given, each as soon as those before it are.
    const reports: (string | null | undefined)[] = new Array(users.length);
    let printed = 0;
    const flush = () => {
      for (; printed < users.length && reports[printed] !== undefined; printed++) {
        const report = reports[printed];
        if (report !== null && report !== undefined) io.out(report);
        reports[printed] = null;
      }
    };
    await forEachConcurrently(users, concurrency, async (username, index) => {
      const context = { identity: identity(), requestId: `compare-${randomUUID()}` };
      try {
        const [a, b] = await Promise.all([
          readWholeHistory(primary, username, context),
          readWholeHistory(shadow, username, context),
        ]);
        const comparison: UserComparison = {
          username,
          primary: { mode: primaryMode, history: a },
          shadow: { mode: shadowMode, history: b },
          diff: diffOrderLists(a.orders, b.orders),
        };
        summary.add(comparison);
        reports[index] = perUser ? formatUserReport(comparison) : null;
      } catch (error) {
        summary.addFailure(username, describeError(error));
        io.err(`${username}: could not read both histories: ${describeError(error)}`);
        reports[index] = null;
      }
      flush();
    });
    const result = summary.toJson();
    const { total, identical, different, notCompared } = result.users;
    if (args.values.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      io.out(`\n${formatSummary(result)}`);
      io.out(
        `\n${total} user(s): ${identical} identical, ${different} different, ${notCompared} not compared`,
      );
    }
    return notCompared > 0 ? 2 : different > 0 ? 1 : 0;
  } finally {
    await Promise.all(systems.upstreams.map((u) => u.close()));
  }
}

function describeError(error: unknown): string {
  const code =
    (error as { code?: unknown; extensions?: { code?: unknown } })?.extensions?.code ??
    (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
