import { randomUUID } from 'node:crypto';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { VENDOR_DEV_PROJECT } from '../../../../../../simulators/vendor/createVendorSimulator';
import { vendorScopesFor } from '../../../../../../subgraphs/orders/config/vendorConfig';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// The token request names the scopes the adapter needs (VENDOR_SCOPES), no more; the vendor simulator
// answers 403 insufficient_scope to a call the token has no scope for, as commercetools does. Over
// real HTTP, through the gateway: the stack's vendor API client has more scopes than the adapter asks
// for (manage_customers).
const REFUND = `mutation Refund($input: RequestRefundInput!) {
  requestRefund(input: $input) { orderNumber status refundIds }
}`;
const HISTORY = `query { orderHistory(pageSize: 50) { count orders { number } } }`;
const { projectKey } = VENDOR_DEV_PROJECT;
const complete = createSeed().vendorOrders!.filter(
  (o) => o.username === 'learner3' && o.status === 'Complete',
);

const refund = (stack: TestStack, orderNumber: string) =>
  stack.query<{ requestRefund: { status: string; refundIds: string[] } }>(REFUND, {
    user: 'learner3',
    variables: { input: { orderNumber } },
    headers: { 'idempotency-key': randomUUID() },
  });

describe('with the scopes it needs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: 'vendor' });
  });
  afterAll(() => stack.stop());

  it('asks for exactly those scopes (not every scope of the API client), and can create a return', async () => {
    const vendor = stack.simulators.vendor!;
    const history = await stack.query<{ orderHistory: { count: number } }>(HISTORY, { user: 'learner3' });
    expect(history.body.errors).toBeUndefined();
    const result = await refund(stack, complete[0]!.number);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.requestRefund.status).toBe('DELIVERED');
    expect(vendor.writes.executions.returns).toBeGreaterThan(0);
    // One token for the reads, one for the writes: each names the three scopes, never manage_customers.
    expect(vendor.issuedScopes().length).toBeGreaterThan(0);
    for (const scopes of vendor.issuedScopes()) expect(scopes).toEqual(vendorScopesFor(projectKey));
  });
});

describe('without manage_orders', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      ORDERS_BACKEND: 'vendor',
      VENDOR_SCOPES: `view_orders:${projectKey} view_customers:${projectKey}`,
    });
  });
  afterAll(() => stack.stop());

  it('cannot create a return: 403 insufficient_scope is a coded, non-retryable error; nothing written', async () => {
    const vendor = stack.simulators.vendor!;
    const before = { ...vendor.writes.executions };
    const updates = vendor.stats().byRoute['orders.update'] ?? 0;

    const result = await refund(stack, complete[1]!.number);

    expect(result.body.data?.requestRefund ?? null).toBeNull();
    expect(result.body.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_ERROR', upstream: 'vendor-commerce', retryable: false }),
    ]);
    // The update reached the vendor once and was refused before anything was applied; not retried.
    expect((vendor.stats().byRoute['orders.update'] ?? 0) - updates).toBe(1);
    expect(vendor.writes.executions).toEqual(before);
    // Reads need no more than view scopes: the history still answers.
    const history = await stack.query<{ orderHistory: { count: number } }>(HISTORY, { user: 'learner3' });
    expect(history.body.errors).toBeUndefined();
    expect(history.body.data?.orderHistory.count).toBeGreaterThan(0);
    for (const scopes of vendor.issuedScopes()) expect(scopes).not.toContain(`manage_orders:${projectKey}`);
  });
});
