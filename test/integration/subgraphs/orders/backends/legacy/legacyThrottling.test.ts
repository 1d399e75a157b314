import { parseJwtEnv } from '../../../../../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { json, startFakeUpstream, type FakeUpstream } from '../../../../../helpers/startFakeUpstream';
import { getJson, startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// The legacy API throttles each learner's token to 75 requests a minute (DRF UserRateThrottle,
// docs/reference/legacy-ecommerce.md). Through the whole stack: the client hears UPSTREAM_RATE_LIMITED
// with `retryAfter`, the throttled read is made once, and no number of one learner's 429s opens the
// breaker that every learner's reads go through.

const HISTORY = '{ orderHistory(pageSize: 5) { count orders { number } } }';
const ORDER = 'query O($n: ID!) { order(number: $n) { number } }';
const THROTTLED = { detail: 'Request was throttled. Expected available in 42 seconds.' };

const legacyBreaker = async (stack: TestStack) =>
  (await getJson(`${stack.adminUrls.orders}/status`)).body.upstreams.find(
    (u: { name: string }) => u.name === 'legacy-ecommerce',
  );

describe('a legacy API answering 429', () => {
  let legacy: FakeUpstream;
  let stack: TestStack;
  beforeAll(async () => {
    legacy = await startFakeUpstream();
    stack = await startTestStack({ LEGACY_ECOMMERCE_URL: legacy.url });
  });
  afterAll(async () => {
    await stack.stop();
    await legacy.close();
  });
  beforeEach(() => {
    legacy.requests.length = 0;
    legacy.handle((_req, res) => json(res, 429, THROTTLED, { 'retry-after': '42' }));
  });

  it('reaches the client as UPSTREAM_RATE_LIMITED with retryAfter, after one upstream call', async () => {
    const history = await stack.query<any>(HISTORY, { user: 'learner1' });
    expect(history.body.errors).toEqual([
      expect.objectContaining({
        path: ['orderHistory'],
        extensions: expect.objectContaining({
          code: 'UPSTREAM_RATE_LIMITED',
          upstream: 'legacy-ecommerce',
          retryable: true,
          retryAfter: 42,
        }),
      }),
    ]);
    expect(legacy.requests).toHaveLength(1);
    const order = await stack.query<any>(ORDER, { user: 'learner1', variables: { n: 'EDX-100001' } });
    expect(order.body.errors?.[0]).toMatchObject({
      path: ['order'],
      extensions: { code: 'UPSTREAM_RATE_LIMITED', retryAfter: 42 },
    });
    expect(legacy.requests).toHaveLength(2);
  });

  it('keeps the breaker closed through 50 throttled reads: the next answer is served', async () => {
    for (let i = 0; i < 50; i++) {
      const result = await stack.query<any>(HISTORY, { user: 'learner1' });
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
    }
    expect(legacy.requests).toHaveLength(50);
    expect(await legacyBreaker(stack)).toMatchObject({ breaker: 'closed', lastError: null });
    legacy.handle((_req, res) => json(res, 200, { count: 0, next: null, previous: null, results: [] }));
    const served = await stack.query<any>(HISTORY, { user: 'learner3' });
    expect(served.body).toEqual({ data: { orderHistory: { count: 0, orders: [] } } });
    expect(await legacyBreaker(stack)).toMatchObject({ breaker: 'closed' });
  });
});

describe('the legacy simulator at its real rate, on a clock the test moves', () => {
  let now = Date.UTC(2026, 0, 1);
  let legacy: LegacyEcommerceSimulator;
  let stack: TestStack;
  beforeAll(async () => {
    legacy = await createLegacyEcommerceSimulator({
      seed: createSeed(),
      jwt: parseJwtEnv({}),
      now: () => now,
    });
    stack = await startTestStack({ LEGACY_ECOMMERCE_URL: legacy.url });
  });
  afterAll(async () => {
    await stack.stop();
    await legacy.close();
  });

  it('refuses a learner’s 76th read in a minute with the wait, serves others, then serves them again', async () => {
    // Read the history a page at a time, as the MFE's pager does: one legacy call per query.
    for (let i = 0; i < 75; i++) {
      const result = await stack.query<any>(HISTORY, { user: 'learner1' });
      expect(result.body.errors).toBeUndefined();
      if (i === 0) now += 20_000; // the first read is the oldest in the window: it leaves it at +60 s
    }
    const refused = await stack.query<any>(HISTORY, { user: 'learner1' });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      retryAfter: 40,
    });
    expect(legacy.stats().byRoute['orders.list']).toBe(76);
    // Another learner's allowance is their own, and the shared breaker never noticed.
    expect((await stack.query<any>(HISTORY, { user: 'learner3' })).body.errors).toBeUndefined();
    expect(await legacyBreaker(stack)).toMatchObject({ breaker: 'closed', lastError: null });
    now += 40_000;
    expect((await stack.query<any>(HISTORY, { user: 'learner1' })).body.errors).toBeUndefined();
  });
});
