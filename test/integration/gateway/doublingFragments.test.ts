import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../gateway/safelist/PersistedQueryManifest';
import { startTestStack, type GraphQLResult, type TestStack } from '../../helpers/startTestStack';

// Issue 20 §1: fragments that each spread the next one twice (`query Q { ...F0 } fragment F0 on Query
// { ...F1 ...F1 } …`) once made the gateway's own limit rules walk 2^n fragments: 906 bytes held a
// gateway for 16 s, before authentication, rate limits or the safelist, and `/healthz` waited too.
// Every walk is linear now, and the spreads limit (GATEWAY_MAX_SPREADS, 100 as executed) refuses it.

/** Fragments F0…Fn on Query, each spreading the next twice: 2^(n+1) − 1 spreads as executed. */
function doubling(levels: number, leaf = '__typename'): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query Q { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { ${leaf} }`;
}
const FORTY = doubling(40);
const SPREADS_REFUSED = { name: 'spreads', max: 100, actual: 2 ** 41 - 1 };

/** Sends `run` and, at the same moment, `GET /healthz` to `probeUrl`; times both. */
async function withHealthProbe(
  probeUrl: string,
  run: () => Promise<GraphQLResult>,
): Promise<{ answer: GraphQLResult; answerMs: number; healthStatus: number; healthMs: number }> {
  const started = performance.now();
  const [answer, health] = await Promise.all([
    run().then((answer) => ({ answer, answerMs: performance.now() - started })),
    fetch(`${probeUrl}/healthz`).then((response) => ({
      healthStatus: response.status,
      healthMs: performance.now() - started,
    })),
  ]);
  return { ...answer, ...health };
}

function expectRefusedQuickly(
  outcome: Awaited<ReturnType<typeof withHealthProbe>>,
  limit: Record<string, unknown> = SPREADS_REFUSED,
): void {
  expect(outcome.answer.status).toBe(400);
  expect(outcome.answer.body.data).toBeUndefined();
  expect(outcome.answer.body.errors?.[0]?.extensions).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    limit,
  });
  // Under a second, refusal and probe alike, even on a box shared by a dozen busy processes (alone
  // it is a few milliseconds); the walk it replaces took 24 s at 20 levels, and doubled per level.
  // The work itself is bounded exactly in test/unit/platform/documentWalks.test.ts.
  expect(outcome.answerMs).toBeLessThan(1000);
  expect(outcome.healthStatus).toBe(200);
  expect(outcome.healthMs).toBeLessThan(1000);
}

/** One refused request first, so that what is timed is the document, not the server's first request. */
async function warmUp(stack: TestStack): Promise<void> {
  expect((await stack.query('{ orderHistory { count } }')).body.errors).toHaveLength(1);
}

/** Upstream calls the gateway's subgraphs made so far, from the simulators. */
const upstreamCalls = (stack: TestStack) =>
  stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total;

describe('the gateway, default limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await warmUp(stack);
  });
  afterAll(() => stack.stop());

  it.each([
    ['anonymous', {}],
    ['a learner', { user: 'learner1' }],
    ['staff', { user: 'staff', staff: true }],
  ])(
    'refuses 40 doubling levels from %s at validation, in under a second, /healthz answering meanwhile',
    async (_who, caller) => {
      const before = upstreamCalls(stack);
      expectRefusedQuickly(await withHealthProbe(stack.gatewayUrl, () => stack.query(FORTY, caller)));
      expect(upstreamCalls(stack)).toBe(before);
    },
  );

  it('keeps /healthz answering under ten such documents at once', async () => {
    const outcome = await withHealthProbe(stack.gatewayUrl, async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => stack.query(FORTY)));
      expect(answers.map((a) => a.body.errors?.[0]?.extensions?.limit)).toEqual(
        Array(10).fill(SPREADS_REFUSED),
      );
      return answers[0]!;
    });
    expect(outcome.healthStatus).toBe(200);
    expect(outcome.healthMs).toBeLessThan(1000);
  });

  it('answers a doubling document within the limits, executing each field once', async () => {
    // 5 levels: 63 spreads as executed, 32 copies of the page as written; graphql merges them into one.
    stack.simulators.legacy!.resetStats();
    const answer = await stack.query<{ orderHistory: { count: number } }>(
      doubling(5, 'orderHistory(pageSize: 1) { count }'),
      { user: 'learner1' },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.orderHistory.count).toBeGreaterThan(0);
    expect(stack.simulators.legacy!.stats().total).toBe(1);
  });

  it('refuses the same document sent straight to a subgraph (with the gateway’s secret), by SUBGRAPH_MAX_SPREADS', async () => {
    const before = stack.simulators.legacy!.stats().total;
    const outcome = await withHealthProbe(stack.ordersUrl, () =>
      stack.query(FORTY, {
        url: `${stack.ordersUrl}/graphql`,
        user: 'learner1',
        headers: stack.subgraphHeaders,
      }),
    );
    expectRefusedQuickly(outcome);
    expect(stack.simulators.legacy!.stats().total).toBe(before);
  });
});

describe('PERSISTED_QUERIES=require', () => {
  let stack: TestStack;
  beforeAll(async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'switchyard-doubling-')), 'manifest.json');
    const body = 'query MyCount { orderHistory(pageSize: 1) { count } }';
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256Hex(body), name: 'MyCount', type: 'query', body }],
      }),
    );
    stack = await startTestStack({ PERSISTED_QUERIES: 'require', PERSISTED_QUERIES_MANIFEST: manifest });
    await warmUp(stack);
  });
  afterAll(() => stack.stop());

  it('refuses 40 doubling levels at validation, before the safelist is asked, in under a second', async () => {
    expectRefusedQuickly(await withHealthProbe(stack.gatewayUrl, () => stack.query(FORTY)));
    // Under the limits, the safelist is what refuses it.
    const small = await stack.query(doubling(3), { user: 'learner1' });
    expect(small.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('the co-located deployment', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({}, { colocated: true });
    await warmUp(stack);
  });
  afterAll(() => stack.stop());

  it('refuses 40 doubling levels in under a second, the in-process subgraphs untouched', async () => {
    const before = upstreamCalls(stack);
    expectRefusedQuickly(
      await withHealthProbe(stack.gatewayUrl, () => stack.query(FORTY, { user: 'learner1' })),
    );
    expect(upstreamCalls(stack)).toBe(before);
    const page = await stack.query('{ orderHistory(pageSize: 1) { count } }', { user: 'learner1' });
    expect(page.body.errors).toBeUndefined();
  });
});
