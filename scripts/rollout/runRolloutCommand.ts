import { hostname, userInfo } from 'node:os';
import type { Logger } from 'pino';
import { isConfigError } from '../../platform/config/ConfigError';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import { createRedisClient } from '../../platform/redis/createRedisClient';
import { parseGuardrailsConfig } from '../../subgraphs/orders/config/guardrailsConfig';
import {
  MAX_BY_CHARS,
  noteProblem,
  type HaltRecord,
  type StoredHalt,
} from '../../subgraphs/orders/layers/guardrails/HaltRecord';
import { RedisHaltStore } from '../../subgraphs/orders/layers/guardrails/RedisHaltStore';

export const ROLLOUT_USAGE =
  'usage: npm run rollout -- status | halt --reason "<why>" | resume --reason "<why>"\n' +
  '  reads REDIS_URL (required) and ORDERS_GUARD_REDIS_KEY, as the orders subgraph does';

export interface RolloutCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Exit codes: 0 done (or nothing to do for status), 1 refused by the state or Redis, 2 bad input. */
type Exit = 0 | 1 | 2;

/**
 * `npm run rollout -- status|halt|resume`: what an operator runs to see, stop or resume the orders
 * rollout of every instance. Resuming is only ever done here: the instances never resume by themselves.
 * Who may run it is who may reach the deployment's Redis with its password (REDIS_URL).
 */
export async function runRolloutCommand(
  argv: readonly string[],
  source: Env,
  io: RolloutCommandIo,
  logger: Logger,
): Promise<Exit> {
  const args = parseArgs(argv);
  if ('problem' in args) {
    io.err(`${args.problem}\n${ROLLOUT_USAGE}`);
    return 2;
  }
  let redisUrl: string | undefined;
  let key: string;
  try {
    redisUrl = parseEnv({ REDIS_URL: env.redisUrl().optional() }, source).REDIS_URL;
    key = parseGuardrailsConfig(source).redisKey;
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.err(error.message);
    return 2;
  }
  if (!redisUrl) {
    io.err(
      'REDIS_URL is not set: the halt state of a deployment lives in its Redis. Without REDIS_URL the ' +
        'orders subgraph keeps it in its own memory; restarting that process is the only resume there.',
    );
    return 2;
  }
  const store = new RedisHaltStore(
    createRedisClient(redisUrl, 'rollout-command', logger, {
      maxRetriesPerRequest: 1,
      // One attempt: an operator needs an answer now, not a client retrying in the background.
      retryStrategy: () => null,
    }),
    key,
    3000,
  );
  try {
    if (args.command === 'status') {
      io.out(describe(await store.read(), key));
      return 0;
    }
    const record: HaltRecord = {
      by: operator(),
      at: new Date().toISOString(),
      note: args.reason,
      ...(args.command === 'halt' ? { reason: 'operator' as const } : {}),
    };
    const change = args.command === 'halt' ? await store.halt(record) : await store.resume(record);
    if (change.applied) {
      io.out(
        args.command === 'halt'
          ? `halted: every orders instance serves ORDERS_BACKEND within ORDERS_GUARD_POLL_MS.\n${describe(change.current, key)}`
          : `resumed: the rollout applies again within ORDERS_GUARD_POLL_MS, with fresh windows.\n${describe(change.current, key)}`,
      );
      return 0;
    }
    io.err(
      `${args.command === 'halt' ? 'already halted; nothing changed' : 'not halted; nothing to resume'}.\n${describe(change.current, key)}`,
    );
    return 1;
  } catch (error) {
    io.err(
      `cannot reach the halt state in Redis (${redactedUrl(redisUrl)}): ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

type Args = { command: 'status' } | { command: 'halt' | 'resume'; reason: string } | { problem: string };

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined) return { problem: 'no command' };
  if (command === 'status') {
    return rest.length === 0 ? { command } : { problem: `status takes no arguments, got: ${rest.join(' ')}` };
  }
  if (command !== 'halt' && command !== 'resume') return { problem: `unknown command "${command}"` };
  let reason: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--reason' && rest[i + 1] !== undefined && reason === undefined) reason = rest[++i];
    else if (arg.startsWith('--reason=') && reason === undefined) reason = arg.slice('--reason='.length);
    else return { problem: `unexpected argument "${arg}"` };
  }
  if (reason === undefined)
    return { problem: `${command} needs --reason "<why>": it is recorded with the ${command}` };
  const problem = noteProblem(reason);
  return problem ? { problem: `--reason ${problem}` } : { command, reason };
}

/** `operator <user>@<host>`: who ran the command, as the halt record and the instances' logs name it. */
function operator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): the host still narrows it down
  }
  return `operator ${user}@${hostname()}`.slice(0, MAX_BY_CHARS);
}

function describe(current: StoredHalt | null, key: string): string {
  if (!current) return `rollout: running (no halt ever recorded under ${key})`;
  const { record, generation } = current;
  const note = record.note === undefined ? '' : `, reason: "${record.note}"`;
  if (current.state === 'resumed') {
    return `rollout: running (resumed at ${record.at} by ${record.by}${note}; generation ${generation})`;
  }
  const figures = record.figures;
  const cause = figures
    ? `${record.reason} ${figures.rate.toFixed(3)} = ${figures.bad}/${figures.samples} over ${figures.windowMs} ms on ${figures.mode} (threshold ${figures.threshold}, min ${figures.minSamples})`
    : (record.reason ?? 'operator');
  return `rollout: HALTED since ${record.at} by ${record.by}: ${cause}${note}; generation ${generation}\n  resume with: npm run rollout -- resume --reason "<what was fixed>"`;
}

function redactedUrl(url: string): string {
  return url.replace(/(:\/\/)[^/@]*@/, '$1<redacted>@');
}
