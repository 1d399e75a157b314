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
import { formatUserReport, hasDifferences } from './formatUserReport';
import { readWholeHistory } from './readWholeHistory';

export const USAGE = `usage: npm run compare -- [--primary <mode>] [--shadow <mode>] <username>...

Reads each user's whole order history (every page) from two orders modes, default legacy vs vendor,
and compares them as the shadow layer does. Upstreams and credentials come from the environment,
exactly as for the orders subgraph (LEGACY_ECOMMERCE_URL, VENDOR_*, JWT_*); see docs/rollout-and-shadow.md.
Modes: ${ORDERS_MODES.join(', ')}.

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
  if (args.positionals.length === 0) return usage('No usernames given.');
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
    // Staff, so every user's history is readable; signed with the subgraph's own JWT settings, short-lived.
    const identity: Identity = {
      username: 'switchyard-compare',
      isStaff: true,
      token: signToken('switchyard-compare', config.jwt, { staff: true, expiresInSeconds: 900 }),
    };
    let [differing, failed] = [0, 0];
    for (const username of args.positionals) {
      const context = { identity, requestId: `compare-${randomUUID()}` };
      try {
        const [a, b] = await Promise.all([
          readWholeHistory(primary, username, context),
          readWholeHistory(shadow, username, context),
        ]);
        const comparison = {
          username,
          primary: { mode: primaryMode, history: a },
          shadow: { mode: shadowMode, history: b },
          diff: diffOrderLists(a.orders, b.orders),
        };
        io.out(formatUserReport(comparison));
        if (hasDifferences(comparison)) differing++;
      } catch (error) {
        failed++;
        io.err(`${username}: could not read both histories: ${describeError(error)}`);
      }
    }
    const total = args.positionals.length;
    io.out(
      `\n${total} user(s): ${total - differing - failed} identical, ${differing} different, ${failed} not compared`,
    );
    return failed > 0 ? 2 : differing > 0 ? 1 : 0;
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
