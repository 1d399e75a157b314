import { request } from 'node:http';
import { ORDER_HISTORY_QUERY } from '../../../bench/orderHistoryQuery';
import { promSample } from '../../helpers/promSample';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The gateway's golden signals over real HTTP, in both deployments: every HTTP GraphQL request is
// counted once by outcome (ok, refused, error) and timed, whoever answered it (Apollo, the handler
// before Apollo, a token check).

const HEAVY_PAGE =
  '{ orderHistory(pageSize: 400) { orders { number lines { title courseRun { title } } } } }';

let separate: TestStack;
let colocated: TestStack;
beforeAll(async () => {
  [separate, colocated] = await Promise.all([startTestStack(), startTestStack({}, { colocated: true })]);
});
afterAll(() => Promise.all([separate?.stop(), colocated?.stop()]));
afterEach(() => {
  separate.simulators.legacy!.clearFaults();
  colocated.simulators.legacy!.clearFaults();
});

type Outcome = 'ok' | 'refused' | 'error';

/** The gateway's request count and duration-histogram count for each outcome. */
async function counts(stack: TestStack): Promise<Record<string, number>> {
  const text = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const outcome of ['ok', 'refused', 'error'] as Outcome[]) {
    const labels = { outcome, component: 'gateway' };
    out[outcome] = promSample(text, 'switchyard_graphql_requests_total', labels) ?? 0;
    out[`${outcome}Timed`] =
      promSample(text, 'switchyard_graphql_request_duration_seconds_count', labels) ?? 0;
  }
  return out;
}

/** Runs `request` and returns by how much each outcome's count and timing count moved. */
async function delta(stack: TestStack, request: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await counts(stack);
  await request();
  // The count is taken when the answer's exchange closes, which the client may see a moment before.
  let after = await counts(stack);
  for (let i = 0; i < 50 && sum(after) === sum(before); i++) {
    await new Promise((r) => setTimeout(r, 20));
    after = await counts(stack);
  }
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!]));
}
const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const only = (outcome: Outcome) => ({
  ok: 0,
  okTimed: 0,
  refused: 0,
  refusedTimed: 0,
  error: 0,
  errorTimed: 0,
  [outcome]: 1,
  [`${outcome}Timed`]: 1,
});

describe.each([
  ['separate', () => separate],
  ['co-located', () => colocated],
])('the %s gateway counts each request once', (_name, stackOf) => {
  it('as ok when answered without errors', async () => {
    const stack = stackOf();
    const moved = await delta(stack, async () => {
      const r = await stack.query(ORDER_HISTORY_QUERY, { user: 'learner1', variables: { page: 1 } });
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
    });
    expect(moved).toEqual(only('ok'));
  });

  it('as an error when an upstream fails it', async () => {
    const stack = stackOf();
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    const moved = await delta(stack, async () => {
      const r = await stack.query(ORDER_HISTORY_QUERY, { user: 'learner2', variables: { page: 1 } });
      expect(r.body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    });
    expect(moved).toEqual(only('error'));
  });

  it('as an error when the caller gives up before the answer', async () => {
    const stack = stackOf();
    stack.simulators.legacy!.setFaults({ latencyMs: 1000 });
    const moved = await delta(stack, async () => {
      const gone = fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `JWT ${stack.token('learner4')}` },
        body: JSON.stringify({ query: ORDER_HISTORY_QUERY, variables: { page: 1 } }),
        signal: AbortSignal.timeout(150),
      });
      await expect(gone).rejects.toThrow();
    });
    expect(moved).toEqual(only('error'));
  });

  it('as refused when over the cost limit', async () => {
    const stack = stackOf();
    const moved = await delta(stack, async () => {
      const r = await stack.query(HEAVY_PAGE, { user: 'learner1' });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    });
    expect(moved).toEqual(only('refused'));
  });

  it('as refused when the token is bad, before any plugin runs', async () => {
    const stack = stackOf();
    const moved = await delta(stack, async () => {
      const r = await stack.query(ORDER_HISTORY_QUERY, {
        authorization: 'JWT not-a-token',
        variables: { page: 1 },
      });
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
    expect(moved).toEqual(only('refused'));
  });

  it('as refused when the body is too large, answered before Apollo', async () => {
    const stack = stackOf();
    const moved = await delta(stack, async () => {
      // Its own connection: the gateway answers before reading the whole body, then drops the socket.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${stack.gatewayUrl}/graphql`, {
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(2 * 1024 * 1024) }));
      });
      expect(status).toBe(413);
    });
    expect(moved).toEqual(only('refused'));
  });

  it('times requests into the histogram buckets', async () => {
    const stack = stackOf();
    await stack.query(ORDER_HISTORY_QUERY, { user: 'learner3', variables: { page: 1 } });
    const text = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
    const labels = { outcome: 'ok', component: 'gateway' };
    const count = promSample(text, 'switchyard_graphql_request_duration_seconds_count', labels)!;
    const sum = promSample(text, 'switchyard_graphql_request_duration_seconds_sum', labels)!;
    const inf = promSample(text, 'switchyard_graphql_request_duration_seconds_bucket', {
      ...labels,
      le: '+Inf',
    });
    expect(count).toBeGreaterThan(0);
    expect(inf).toBe(count);
    expect(sum).toBeGreaterThan(0);
    // Bounded labels: the request series carry outcome and component only.
    for (const line of text.split('\n').filter((l) => l.startsWith('switchyard_graphql_requests_total{'))) {
      expect(line).toMatch(
        /^switchyard_graphql_requests_total\{outcome="(ok|refused|error)",component="gateway"\} \d+$/,
      );
    }
  });
});
