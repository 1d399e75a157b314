import type { ApolloClient } from '@apollo/client';
import { createOrderHistoryClient } from '../../../examples/order-history-mfe/createOrderHistoryClient';
import { loadOrderHistoryPage } from '../../../examples/order-history-mfe/loadOrderHistoryPage';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The MFE example (examples/order-history-mfe) against the whole stack over real HTTP: the Apollo
// Client an MFE would ship, its JWT header, pages, and what it shows for each error code.
describe('the order-history MFE example (@apollo/client)', () => {
  let stack: TestStack;
  let token: string | null;
  let client: ApolloClient;
  beforeAll(async () => {
    stack = await startTestStack({
      ORDERS_BACKEND: 'merged',
      VENDOR_API_TIMEOUT_MS: '300',
      VENDOR_API_REQUEST_TIMEOUT_MS: '600',
    });
    client = createOrderHistoryClient({ uri: `${stack.gatewayUrl}/graphql`, getToken: () => token });
  });
  afterAll(() => stack.stop());
  beforeEach(() => {
    token = stack.token('learner3');
    stack.simulators.vendor!.clearFaults();
    stack.simulators.legacy!.clearFaults();
  });

  it('pages through the learner’s history with the JWT it is given', async () => {
    const first = await loadOrderHistoryPage(client, 1, 20);
    const second = await loadOrderHistoryPage(client, 2, 20);
    if (first.kind !== 'page' || second.kind !== 'page') throw new Error(`got ${first.kind}, ${second.kind}`);
    expect(first.history).toMatchObject({ page: 1, pageSize: 20, complete: true });
    expect(first.history.count).toBeGreaterThan(40);
    expect(first.history.pageCount).toBe(Math.ceil(first.history.count / 20));
    expect(first.history.orders).toHaveLength(20);
    expect(second.history.orders).toHaveLength(20);
    const numbers = new Set([...first.history.orders, ...second.history.orders].map((o) => o.number));
    expect(numbers.size).toBe(40);
    // Newest first across both pages.
    const placed = [...first.history.orders, ...second.history.orders].map((o) => o.placedAt);
    expect([...placed].sort().reverse()).toEqual(placed);
    expect(first.missing).toEqual([]);
  });

  it('reads the token on every request: a new learner sees their own orders', async () => {
    token = stack.token('learner1');
    const mine = await loadOrderHistoryPage(client, 1, 5);
    const legacy = await stack.query<{ orderHistory: { count: number } }>('{ orderHistory { count } }', {
      user: 'learner1',
    });
    if (mine.kind !== 'page') throw new Error(`got ${mine.kind}`);
    expect(mine.history.count).toBe(legacy.body.data!.orderHistory.count);
  });

  it('shows what there is, with a notice, when one system is down (complete: false)', async () => {
    stack.simulators.vendor!.setFaults({ errorRate: 1 });
    const outcome = await loadOrderHistoryPage(client, 1, 20);
    if (outcome.kind !== 'page') throw new Error(`got ${outcome.kind}`);
    expect(outcome.history.complete).toBe(false);
    expect(outcome.history.orders.length).toBeGreaterThan(0);
    expect(outcome.history.orders.every((o) => o.number.startsWith('EDX-'))).toBe(true);
    expect(outcome.missing).toEqual([{ code: 'UPSTREAM_ERROR', upstream: 'vendor-commerce' }]);
  });

  it('asks to try again later when no system answers', async () => {
    stack.simulators.vendor!.setFaults({ errorRate: 1 });
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    const outcome = await loadOrderHistoryPage(client, 1, 20);
    expect(outcome).toMatchObject({ kind: 'retryLater', code: expect.stringMatching(/^UPSTREAM_/) });
  });

  it.each([
    ['no token', () => null],
    ['an expired token', () => stack.token('learner3', { expiresInSeconds: -60 })],
    ['a forged token', () => `${stack.token('learner3').slice(0, -4)}AAAA`],
  ])('sends the learner to sign in with %s, and the upstream is never called', async (_name, makeToken) => {
    token = makeToken();
    stack.simulators.legacy!.resetStats();
    expect(await loadOrderHistoryPage(client, 1, 20)).toEqual({ kind: 'signIn' });
    expect(stack.simulators.legacy!.stats().total).toBe(0);
  });

  it('reports a bad request with its code instead of retrying it', async () => {
    const outcome = await loadOrderHistoryPage(client, 1, 0);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'BAD_USER_INPUT' });
  });
});

describe('the order-history MFE example, over the gateway’s rate limit', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_OPERATIONS: '2' });
  });
  afterAll(() => stack.stop());

  it('asks to try again after the gateway’s Retry-After', async () => {
    const client = createOrderHistoryClient({
      uri: `${stack.gatewayUrl}/graphql`,
      getToken: () => stack.token('learner12'),
    });
    expect((await loadOrderHistoryPage(client, 1)).kind).toBe('page');
    expect((await loadOrderHistoryPage(client, 1)).kind).toBe('page');
    const limited = await loadOrderHistoryPage(client, 1);
    expect(limited).toMatchObject({ kind: 'retryLater', code: 'RATE_LIMITED' });
    expect(limited.kind === 'retryLater' && limited.retryAfterSeconds).toBeGreaterThan(0);
  });
});
