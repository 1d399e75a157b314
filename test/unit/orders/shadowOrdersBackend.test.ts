import pino from 'pino';
import { Registry } from 'prom-client';
import { ErrorCode } from '../../../platform/ErrorCode';
import { UpstreamError } from '../../../upstream/UpstreamError';
import {
  createShadowMetrics,
  type ShadowMetrics,
} from '../../../subgraphs/orders/layers/shadow/ShadowMetrics';
import { ShadowOrdersBackend } from '../../../subgraphs/orders/layers/shadow/ShadowOrdersBackend';
import type { Order, OrderPage } from '../../../subgraphs/orders/domain/Order';
import type { OrdersMode } from '../../../subgraphs/orders/config/ordersMode';
import type {
  CallContext,
  OrderHistorySource,
  OrdersBackend,
} from '../../../subgraphs/orders/port/OrdersBackend';

const context: CallContext = {
  identity: { username: 'learner1', isStaff: false, token: 't' },
  requestId: 'req-1',
};
const query = { username: 'learner1', page: 1, pageSize: 20 };
const order = (number: string, status: Order['status'] = 'COMPLETE') =>
  ({
    number,
    placedAt: '2025-01-01T00:00:00Z',
    status,
    total: { amount: '1.00', currency: 'USD' },
    discount: null,
    paymentMethod: null,
    receiptUrl: '',
    lines: [],
  }) as Order;
const page = (...orders: Order[]): OrderPage => ({ count: orders.length, orders });

const primaryPage = page(order('EDX-2'), order('EDX-1'));
const primaryOf = (answer: OrderPage): OrdersBackend => ({
  listOrders: async () => answer,
  getOrders: async (numbers) => numbers.map(() => null),
});

/** A shadow whose every read is a promise the test settles. */
function controllableShadow() {
  const reads: { resolve: (p: OrderPage) => void; reject: (e: Error) => void; context: CallContext }[] = [];
  const source: OrderHistorySource = {
    listOrders: (_q, ctx) => new Promise((resolve, reject) => reads.push({ resolve, reject, context: ctx })),
  };
  return { source, reads };
}

function setup(options: {
  shadow: OrderHistorySource;
  maxConcurrent?: number;
  sampleRate?: number;
  served?: OrdersMode;
  primaryPage?: OrderPage;
}) {
  const metrics = createShadowMetrics(new Registry());
  const logs: Record<string, unknown>[] = [];
  const detached: (() => void)[] = [];
  const deadlines: AbortController[] = [];
  const backend = new ShadowOrdersBackend({
    primary: primaryOf(options.primaryPage ?? primaryPage),
    shadow: options.shadow,
    shadowMode: 'vendor',
    servedMode: () => options.served ?? 'legacy',
    config: {
      sampleRate: options.sampleRate ?? 1,
      timeoutMs: 1000,
      maxConcurrent: options.maxConcurrent ?? 4,
    },
    metrics,
    logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) }),
    random: () => 0.5,
    deadline: () => {
      const controller = new AbortController();
      deadlines.push(controller);
      return controller.signal;
    },
    detach: (work) => void detached.push(work),
  });
  const runDetached = async () => {
    for (const work of detached.splice(0)) work();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { backend, metrics, logs, runDetached, deadlines };
}

async function outcomes(metrics: ShadowMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.reads.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

describe('ShadowOrdersBackend', () => {
  it('answers from the primary, and reads the shadow only after that answer, on its own deadline', async () => {
    const shadow = controllableShadow();
    const { backend, runDetached } = setup({ shadow: shadow.source });
    await expect(
      backend.listOrders(query, { ...context, signal: new AbortController().signal }),
    ).resolves.toBe(primaryPage);
    expect(shadow.reads).toHaveLength(0);
    await runDetached();
    expect(shadow.reads).toHaveLength(1);
    expect(shadow.reads[0]!.context).toMatchObject({ requestId: 'req-1', identity: context.identity });
  });

  it('counts a match, and per-field and per-order results', async () => {
    const { backend, metrics, logs, runDetached } = setup({
      shadow: { listOrders: async () => page(order('EDX-2'), order('EDX-1')) },
    });
    await backend.listOrders(query, context);
    await runDetached();
    expect(await outcomes(metrics)).toEqual({ match: 1 });
    const fields = (await metrics.fields.get()).values;
    expect(fields.find((v) => v.labels.field === 'status')).toMatchObject({
      value: 2,
      labels: { result: 'match' },
    });
    expect(logs.filter((l) => l.msg === 'orders shadow mismatch')).toEqual([]);
  });

  it('logs one line per differing order, with numbers and fields and a hash instead of the username', async () => {
    const shadowPage = { count: 3, orders: [order('EDX-2', 'PENDING'), order('2U-000001')] };
    const { backend, metrics, logs, runDetached } = setup({ shadow: { listOrders: async () => shadowPage } });
    await backend.listOrders(query, context);
    await runDetached();
    expect(await outcomes(metrics)).toEqual({ mismatch: 1 });
    const lines = logs.filter((l) => l.msg === 'orders shadow mismatch');
    expect(lines.map(({ kind, orderNumber, fields }) => ({ kind, orderNumber, fields }))).toEqual([
      { kind: 'fields', orderNumber: 'EDX-2', fields: ['status'] },
      { kind: 'missing_in_shadow', orderNumber: 'EDX-1', fields: undefined },
      { kind: 'missing_in_primary', orderNumber: '2U-000001', fields: undefined },
      { kind: 'count', orderNumber: undefined, fields: undefined },
    ]);
    expect(lines[0]).toMatchObject({
      primary: 'legacy',
      shadow: 'vendor',
      requestId: 'req-1',
      user: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(JSON.stringify(lines)).not.toContain('learner1');
  });

  it('drops reads beyond its cap instead of queueing them, and frees a slot at the deadline', async () => {
    const shadow = controllableShadow();
    const { backend, metrics, runDetached, deadlines } = setup({ shadow: shadow.source, maxConcurrent: 1 });
    for (let i = 0; i < 3; i++) await backend.listOrders(query, context);
    await runDetached();
    expect(shadow.reads).toHaveLength(1);
    expect(await outcomes(metrics)).toEqual({ dropped: 2 });

    deadlines[0]!.abort(new Error('deadline'));
    await runDetached();
    expect(await outcomes(metrics)).toEqual({ dropped: 2, timeout: 1 });
    await backend.listOrders(query, context);
    await runDetached();
    expect(shadow.reads).toHaveLength(2);
  });

  it('swallows and counts a failing shadow', async () => {
    const { backend, metrics, runDetached } = setup({
      shadow: { listOrders: async () => Promise.reject(new Error('vendor down')) },
    });
    await expect(backend.listOrders(query, context)).resolves.toBe(primaryPage);
    await runDetached();
    expect(await outcomes(metrics)).toEqual({ error: 1 });
  });

  it('skips a call its own mode served, and a partial primary page', async () => {
    const shadow = controllableShadow();
    const served = setup({ shadow: shadow.source, served: 'vendor' });
    await served.backend.listOrders(query, context);
    await served.runDetached();
    expect(await outcomes(served.metrics)).toEqual({ skipped: 1 });
    const failure = new UpstreamError('vendor-commerce', ErrorCode.UPSTREAM_ERROR, 'vendor answered 500');
    const partial = setup({ shadow: shadow.source, primaryPage: { ...primaryPage, failures: [failure] } });
    await partial.backend.listOrders(query, context);
    await partial.runDetached();
    expect(await outcomes(partial.metrics)).toEqual({ skipped: 1 });
    expect(shadow.reads).toHaveLength(0);
  });

  it('samples at the configured rate and never shadows single-order lookups', async () => {
    const shadow = controllableShadow();
    const { backend, metrics, runDetached } = setup({ shadow: shadow.source, sampleRate: 0.5 });
    await backend.listOrders(query, context); // random() = 0.5 is not below 0.5
    await backend.getOrders(['EDX-1'], context);
    await runDetached();
    expect(shadow.reads).toHaveLength(0);
    expect(await outcomes(metrics)).toEqual({});
  });
});
