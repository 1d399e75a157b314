import { openBench, type BenchConfig, type OpenBench, type RunResult } from './measureRun';
import type { LoadResult } from './startLoadWorker';
import type { BenchStack } from './benchStacks';
import { compareAnswers, type Answer } from './sameAnswer';
import type { ComponentName, SubgraphClient } from './startStack';

/** How the default `npm run bench` measures: alternating rounds over stacks that stay up. */
export interface RoundsConfig {
  rounds: number;
  /** Learners the simulators seed; the load rotates over those with orders. */
  learners: number;
  /** Seconds at one connection per stack per round: unloaded latency. 0 skips it. */
  unloadedS: number;
  /** Seconds of the kit with the legacy breaker open, 10 connections. 0 skips it. */
  failFastS: number;
  /** Directory for `--cpu-prof` files, or none. */
  profileDir?: string;
  /** The stacks measured, in the first round's order (benchStacks.ts: BENCH_STACKS × BENCH_V8_FLAGS). */
  stacks: readonly BenchStack[];
  /** Sent with every request besides the token (field-usage mode: the MFE's client name). */
  headers?: Readonly<Record<string, string>>;
}

export interface StackRounds {
  rounds: RunResult[];
  /** One 1-connection window per round. */
  unloaded: LoadResult[];
}

export interface FailFastResult {
  connections: number;
  run: RunResult;
}

export interface RoundsResult {
  /** By stack id (BenchStack.id): the client name, or with its flag set or variation. */
  stacks: Record<string, StackRounds>;
  /** Each of our deployments (OUR_STACKS) with the legacy breaker open, in the first flag set. */
  failFast: Record<string, FailFastResult>;
  /** Learners whose page both stacks answered identically before any load. */
  checkedLearners: string[];
  /** When each process was spawned (Date.now()): places the windows inside its CPU profile. */
  spawnedAt: Record<string, Partial<Record<ComponentName, number>>>;
}

/** The order each round starts in rotates, so no stack always runs first (or right after another). */
export const ALL_STACKS: readonly SubgraphClient[] = [
  'kit',
  'plain',
  'apollo-default',
  'colocated',
  'colocated-workers',
  'plain-colocated',
  'hive',
];
/** Switchyard's deployments: each is judged against the plain stack and measured failing fast. */
export const OUR_STACKS: readonly SubgraphClient[] = ['kit', 'colocated', 'colocated-workers'];
const FAIL_FAST_CONNECTIONS = 10;
/** Enough failed legacy calls to open the breaker (volume threshold 10, 50 %), with retries. */
const BREAKER_TRIP_REQUESTS = 30;

export async function runRounds(
  config: BenchConfig,
  rounds: RoundsConfig,
  learners: string[],
  authorizations: string[],
  log: (line: string) => void,
): Promise<RoundsResult> {
  const STACKS = rounds.stacks.map((s) => s.id);
  const byId = new Map(rounds.stacks.map((s) => [s.id, s]));
  const open: Record<string, OpenBench> = {};
  const profile = (label: string) =>
    rounds.profileDir ? { profile: { dir: rounds.profileDir, label } } : {};
  try {
    // Started one after the other, all kept up: idle stacks cost next to nothing, and each keeps its
    // warm JIT and pools from round to round.
    for (const stack of rounds.stacks) {
      open[stack.id] = await openBench(
        stack.client,
        config,
        authorizations,
        log,
        {
          label: stack.id,
          ...(stack.gatewayEnv ? { gatewayEnv: stack.gatewayEnv } : {}),
          ...(rounds.headers ? { headers: rounds.headers } : {}),
          nodeOptions: stack.nodeOptions,
        },
        {
          learners: rounds.learners,
          ...profile(stack.id),
        },
      );
    }
    const checkedLearners = await checkSameData(STACKS, open, learners, authorizations, log);
    log(`same data from every stack for ${checkedLearners.join(', ')}`);
    for (const client of STACKS) await open[client]!.warmUp(config.warmupS);
    const stacks: Record<string, StackRounds> = {};
    for (let round = 0; round < rounds.rounds; round++) {
      const order = STACKS.map((_, i) => STACKS[(i + round) % STACKS.length]!);
      log(`round ${round + 1}/${rounds.rounds}: ${order.join(', ')}`);
      for (const client of order) {
        const bench = open[client]!;
        const result = (stacks[client] ??= { rounds: [], unloaded: [] });
        result.rounds.push(await bench.measure(config.durationS, config.connections));
        if (rounds.unloadedS > 0) result.unloaded.push((await bench.measure(rounds.unloadedS, 1)).load);
      }
    }
    // Our deployments alone are measured failing fast: the others have no breaker to open. Once
    // each, with the first flag set (the id that is the client's own name).
    const failFast: RoundsResult['failFast'] = {};
    for (const client of OUR_STACKS) {
      const bench = byId.get(client) ? open[client] : undefined;
      if (rounds.failFastS > 0 && bench)
        failFast[client] = await measureFailFast(bench, rounds.failFastS, authorizations, log);
    }
    const spawnedAt = Object.fromEntries(STACKS.map((c) => [c, open[c]!.stack.spawnedAt]));
    return { stacks, failFast, checkedLearners, spawnedAt };
  } finally {
    await Promise.all(Object.values(open).map((bench) => bench.stop()));
  }
}

/**
 * Both stacks must answer the same page for the same learner before any figure is compared: a faster
 * stack that answers something else proves nothing. A spread of learners: the awkward data of
 * learner1 (unknown status, a retired course run, JPY), learner3 (two discounts), learner10 (a line
 * without unit price), and some of the added learners. The one tolerated difference, Hive Gateway's
 * envelope for a value it could not complete (sameAnswer.ts), is logged per learner, never silent.
 */
async function checkSameData(
  STACKS: readonly string[],
  open: Record<string, OpenBench>,
  learners: string[],
  authorizations: string[],
  log: (line: string) => void,
): Promise<string[]> {
  const wanted = ['learner1', 'learner3', 'learner10', 'learner51', learners[learners.length - 1]!];
  const picked = wanted.filter((u, i) => learners.includes(u) && wanted.indexOf(u) === i);
  for (const learner of picked) {
    const authorization = authorizations[learners.indexOf(learner)]!;
    const answers = await Promise.all(
      STACKS.map(async (client) => [client, (await open[client]!.query(authorization)) as Answer] as const),
    );
    // The reference is the first answer without errors (Hive's may carry some; see sameAnswer.ts).
    const clean = (a: Answer) => {
      const body = a.body as { errors?: unknown; data?: unknown };
      return a.status === 200 && body.errors === undefined && Boolean(body.data);
    };
    const [reference, expected] = answers.find(([, a]) => clean(a)) ?? answers[0]!;
    if (!clean(expected)) {
      throw new Error(
        `${reference} answered ${learner} with HTTP ${expected.status}: ${JSON.stringify(expected.body).slice(0, 300)}`,
      );
    }
    for (const [client, answer] of answers) {
      const comparison = compareAnswers(answer, expected);
      if (!comparison.same) {
        throw new Error(
          `${client} and ${reference} answer ${learner} differently:\n${JSON.stringify(answer).slice(0, 600)}\n` +
            `${JSON.stringify(expected).slice(0, 600)}`,
        );
      }
      if (comparison.note) log(`[${client}] ${learner} vs ${reference}: ${comparison.note}`);
    }
  }
  return picked;
}

/** Legacy answering 503 to everything until the orders subgraph's breaker opens, then load at 10 connections. */
async function measureFailFast(
  bench: OpenBench,
  seconds: number,
  authorizations: string[],
  log: (line: string) => void,
): Promise<FailFastResult> {
  await bench.setFaults({ errorRate: 1, errorStatus: 503 }, 'legacy-ecommerce');
  try {
    for (let i = 0; i < BREAKER_TRIP_REQUESTS; i++)
      await bench.query(authorizations[i % authorizations.length]!);
    log(`[${bench.name}] legacy failing, breaker tripped: fail-fast answers`);
    return { connections: FAIL_FAST_CONNECTIONS, run: await bench.measure(seconds, FAIL_FAST_CONNECTIONS) };
  } finally {
    await bench.setFaults({ errorRate: 0 }, 'legacy-ecommerce');
  }
}
