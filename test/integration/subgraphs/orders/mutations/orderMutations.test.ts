import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import pino from 'pino';
import { signToken } from '../../../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import { fingerprint } from '../../../../../idempotency/fingerprint';
import type { IdempotencyScope } from '../../../../../idempotency/IdempotencyStore';
import { MemoryIdempotencyStore } from '../../../../../idempotency/MemoryIdempotencyStore';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { parseOrdersConfig } from '../../../../../subgraphs/orders/config/ordersConfig';
import { createOrderWrites } from '../../../../../subgraphs/orders/createOrderWrites';
import { MemoryRefundRequestStore } from '../../../../../subgraphs/orders/mutations/MemoryRefundRequestStore';
import {
  OrderMutations,
  type MutationCall,
  type OrderMutationsDeps,
} from '../../../../../subgraphs/orders/mutations/OrderMutations';
import type { RefundRequestStore } from '../../../../../subgraphs/orders/mutations/RefundRequestStore';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import { RefundQueue } from '../../../../../subgraphs/orders/queue/RefundQueue';
import { createServiceTokens } from '../../../../../subgraphs/serviceIdentity/createServiceTokens';
import { parseServiceIdentityConfig } from '../../../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import type { Upstream } from '../../../../../upstream/Upstream';
import { refundableOrders } from '../../../../helpers/refundableOrders';
import { startRefundRule, type RefundRule } from '../../../../helpers/startRefundRule';

// The mutation service itself, in process (so mutation testing can reach it): the real legacy
// simulator behind the production writers, a real Redis queue, and a queue whose connection is gone
// for the outage paths. Each refusal also shows what was not done: no upstream write, no job.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY = 24 * 3_600_000;
const jwt = parseJwtEnv({});
const seed = createSeed();
const prefix = `test-${randomUUID()}`;

let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
let connection: Redis;
let queue: RefundQueue;
const upstreams: Upstream[] = [];
const closers: (() => Promise<unknown>)[] = [];
let writesFor: OrderMutationsDeps['writesFor'];
let service: OrderMutationsDeps['service'];
let rule: RefundRule;

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt });
  lms = await createLmsOAuthSimulator({ jwt });
  rule = await startRefundRule(seed, jwt, lms);
  const tokens = createServiceTokens(parseServiceIdentityConfig({ LMS_OAUTH2_URL: lms.url }));
  upstreams.push(...tokens.upstreams);
  service = { identity: () => tokens.identity(), invalidate: (refused) => tokens.invalidate(refused) };
  const writes = createOrderWrites(parseOrdersConfig({ LEGACY_ECOMMERCE_URL: legacy.url }), {
    logger: pino({ level: 'silent' }),
  });
  upstreams.push(...writes.upstreams);
  writesFor = (number) => writes.writesFor(number)!;
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new RefundQueue({ connection, prefix });
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await queue.close();
  await connection.quit();
  await Promise.all(upstreams.map((u) => u.close()));
  await legacy.close();
  await rule.close();
  await lms.close();
});

/** A queue whose Redis connection is gone: every read and add fails, as in an outage. */
async function brokenQueue(): Promise<RefundQueue> {
  const dead = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  const broken = new RefundQueue({ connection: dead, prefix });
  dead.disconnect();
  closers.push(() => Promise.race([broken.close(), new Promise((r) => setTimeout(r, 200))]));
  return broken;
}

interface Harness {
  mutations: OrderMutations;
  deps: OrderMutationsDeps;
  /** Every log line, parsed. */
  lines: Record<string, unknown>[];
  events: (key: string) => unknown[];
}

function harness(overrides: Partial<OrderMutationsDeps> = {}): Harness {
  const lines: Record<string, unknown>[] = [];
  const deps: OrderMutationsDeps = {
    writesFor: (number) => writesFor(number),
    store: new MemoryIdempotencyStore(),
    ttlMs: DAY,
    leaseMs: 15_000,
    refundQueue: queue,
    refundRequests: new MemoryRefundRequestStore(DAY),
    service: { identity: () => service.identity(), invalidate: (refused) => service.invalidate(refused) },
    eligibility: rule.eligibility,
    logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
    ...overrides,
  };
  return {
    mutations: new OrderMutations(deps),
    deps,
    lines,
    events: (key) => lines.filter((l) => l.idempotencyKey === key).map((l) => l.event),
  };
}

const call = (username: string, idempotencyKey = randomUUID(), isStaff = false): MutationCall => ({
  identity: { username, isStaff, token: signToken(username, jwt, { staff: isStaff }) },
  requestId: `r-${randomUUID()}`,
  idempotencyKey,
});
const learner = 'learner3';
const orders = refundableOrders(learner, seed).map((o) => o.number);
// One order per test below: a refund changes what the next test could refund.
if (orders.length < 7)
  throw new Error(`the seed gives ${learner} ${orders.length} refundable orders; 7 needed`);
const input = (orderNumber: string, reason: string | null = null) => ({
  orderNumber,
  courseRunKey: null,
  reason,
});
const refundWrites = () => legacy.writes.executions.refunds;

describe('DEFERRED requestRefund', () => {
  it('without a queue is DEFERRED_DELIVERY_UNAVAILABLE, naming REDIS_URL, and writes nothing', async () => {
    const { mutations, lines } = harness({ refundQueue: null });
    const before = refundWrites();
    const c = call(learner);
    await expect(mutations.requestRefund(input(orders[0]!), 'DEFERRED', c)).rejects.toMatchObject({
      message: expect.stringContaining('REDIS_URL unset'),
      extensions: { code: 'DEFERRED_DELIVERY_UNAVAILABLE' },
    });
    expect(refundWrites()).toBe(before);
    expect(lines.find((l) => l.idempotencyKey === c.idempotencyKey)).toMatchObject({
      audit: 'mutation',
      operation: 'requestRefund',
      event: 'received',
      delivery: 'DEFERRED',
      orderNumber: orders[0],
      user: learner,
      requestId: c.requestId,
    });
  });

  it('queues one job, then replays its current state under the same key', async () => {
    const { mutations, events } = harness();
    const c = call(learner);
    const first = await mutations.requestRefund(input(orders[0]!), 'DEFERRED', c);
    expect(first).toEqual({
      replayed: false,
      data: expect.objectContaining({ id: refundJobId(learner, c.idempotencyKey), status: 'PENDING' }),
    });
    const again = await mutations.requestRefund(input(orders[0]!), 'DEFERRED', {
      ...c,
      requestId: 'r-again',
    });
    expect(again).toEqual({ replayed: true, data: expect.objectContaining({ id: first.data.id }) });
    // The ownership check's read, the refund rule, the job, the outcome; then the replay.
    expect(events(c.idempotencyKey)).toEqual([
      'received',
      'upstream attempt',
      'upstream answered',
      'eligible',
      'enqueued',
      'outcome',
      'received',
      'replayed',
    ]);
    expect(await queue.getData(first.data.id)).toMatchObject({
      username: learner,
      actingFor: { username: learner, isStaff: false },
      input: input(orders[0]!),
      requestId: c.requestId,
    });
  });

  it('replays the stored answer when the queue cannot be read at replay time', async () => {
    const { mutations, deps } = harness();
    const c = call(learner);
    const first = await mutations.requestRefund(input(orders[1]!), 'DEFERRED', c);
    deps.refundQueue = await brokenQueue();
    const again = await mutations.requestRefund(input(orders[1]!), 'DEFERRED', c);
    expect(again).toEqual({ replayed: true, data: first.data });
  });

  it('answers a job the queue already holds for this key (its record expired) as a replay', async () => {
    const c = call(learner);
    const first = await harness().mutations.requestRefund(input(orders[2]!), 'DEFERRED', c);
    // A fresh store: the key's record is gone, the 7-day job is not.
    const { mutations, lines } = harness();
    const again = await mutations.requestRefund(input(orders[2]!), 'DEFERRED', c);
    expect(again).toEqual({ replayed: true, data: expect.objectContaining({ id: first.data.id }) });
    expect(lines.find((l) => l.event === 'enqueued')).toMatchObject({
      jobId: first.data.id,
      duplicate: true,
    });
  });

  it('refuses other arguments under a key whose job is still queued: IDEMPOTENCY_KEY_MISMATCH, job unchanged', async () => {
    const c = call(learner);
    const first = await harness().mutations.requestRefund(input(orders[3]!), 'DEFERRED', c);
    const { mutations, events } = harness();
    await expect(
      mutations.requestRefund(input(orders[3]!, 'changed my mind'), 'DEFERRED', c),
    ).rejects.toMatchObject({
      message: 'This Idempotency-Key was used with different arguments',
      extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH', retryable: false },
    });
    expect(events(c.idempotencyKey)).not.toContain('enqueued');
    expect(events(c.idempotencyKey)).not.toContain('queue unavailable');
    expect((await queue.getData(first.data.id))!.input).toEqual(input(orders[3]!));
  });

  it('during a queue outage is UPSTREAM_UNAVAILABLE naming the queue, keeps no record, and the retry queues', async () => {
    const { mutations, deps, lines } = harness();
    deps.refundQueue = await brokenQueue();
    const c = call(learner);
    await expect(mutations.requestRefund(input(orders[4]!), 'DEFERRED', c)).rejects.toMatchObject({
      message: 'The refund queue is unavailable; nothing was queued',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'refund-queue', retryable: true },
    });
    const outage = lines.find((l) => l.event === 'queue unavailable');
    expect(outage).toMatchObject({
      idempotencyKey: c.idempotencyKey,
      // The cause's own message, not "Error: …".
      err: expect.stringMatching(/^redis not ready/),
    });
    expect(await queue.getData(refundJobId(learner, c.idempotencyKey))).toBeNull();

    // Queue back: the same key queues now (the failed attempt released its claim).
    deps.refundQueue = queue;
    const retry = await mutations.requestRefund(input(orders[4]!), 'DEFERRED', c);
    expect(retry).toEqual({ replayed: false, data: expect.objectContaining({ status: 'PENDING' }) });
    expect(await queue.getData(retry.data.id)).not.toBeNull();
  });

  // Issue 20 §6: the takeover after a crash skipped the ownership check, so a learner whose first
  // attempt died (or whose check outlived the lease) had someone else's order queued on the retry.
  it('authorizes a takeover like a fresh claim: someone else’s order is NOT_FOUND, nothing queued', async () => {
    let clock = 1_000_000;
    const { mutations, events } = harness({ store: new MemoryIdempotencyStore(() => clock) });
    const foreign = seed.orders.find((o) => o.username === 'learner7' && o.status === 'Complete')!.number;
    const c = call(learner);
    const before = refundWrites();
    // The first attempt claims the key and dies while its ownership check is in flight.
    let checking!: () => void;
    const started = new Promise<void>((resolve) => (checking = resolve));
    const real = writesFor;
    writesFor = (number) => ({
      ...real(number),
      refundFacts: () => (checking(), new Promise<never>(() => undefined)),
    });
    void mutations.requestRefund(input(foreign), 'DEFERRED', c);
    await started;
    writesFor = real;
    clock += 15_001;

    await expect(mutations.requestRefund(input(foreign), 'DEFERRED', c)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await queue.getData(refundJobId(learner, c.idempotencyKey))).toBeNull();
    expect(refundWrites()).toBe(before);
    expect(events(c.idempotencyKey)).toContain('refused, still taken over');
    // And again on the next retry: the record stays taken over, each retry is checked.
    await expect(mutations.requestRefund(input(foreign), 'DEFERRED', c)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await queue.getData(refundJobId(learner, c.idempotencyKey))).toBeNull();
  });
});

describe('IMMEDIATE requestRefund', () => {
  it('answers the refund even when it cannot be kept for refundRequest(id), and says so in the audit', async () => {
    const failing: RefundRequestStore = {
      save: async () => {
        throw new Error('store is down');
      },
      find: async () => null,
      close: async () => undefined,
    };
    const { mutations, lines } = harness({ refundRequests: failing });
    const own = refundableOrders('learner5', seed)[0]!.number;
    const c = call('learner5');
    const answer = await mutations.requestRefund(input(own), 'IMMEDIATE', c);
    expect(answer).toMatchObject({ replayed: false, data: { orderNumber: own, status: 'OPEN' } });
    expect(lines.find((l) => l.event === 'refund request not kept')).toMatchObject({
      idempotencyKey: c.idempotencyKey,
      err: 'store is down',
    });
  });
});

describe('refundRequest(id)', () => {
  const stored = (owner: string, refundIdsKnown?: boolean) => {
    const id = refundJobId(owner, randomUUID());
    const request = {
      id,
      orderNumber: 'EDX-1',
      status: 'DELIVERED' as const,
      refundIds: ['1'],
      attempts: 1,
      lastError: null,
      updatedAt: new Date(0).toISOString(),
      ...(refundIdsKnown === undefined ? {} : { refundIdsKnown }),
    };
    return { id, entry: { owner, request: request as never } };
  };
  const who = (username: string, isStaff = false) => ({ username, isStaff, token: 't' });

  it('reads a request stored before refundIdsKnown existed as knowing its ids, and keeps a stored false', async () => {
    const { mutations, deps } = harness();
    const old = stored(learner);
    const unknown = stored(learner, false);
    await deps.refundRequests.save(old.entry);
    await deps.refundRequests.save(unknown.entry);
    expect(await mutations.refundRequest(old.id, who(learner))).toMatchObject({
      id: old.id,
      refundIdsKnown: true,
    });
    expect(await mutations.refundRequest(unknown.id, who(learner))).toMatchObject({ refundIdsKnown: false });
  });

  it('answers the owner and staff, and null for anyone else or a malformed id', async () => {
    const { mutations, deps } = harness();
    const mine = stored(learner);
    await deps.refundRequests.save(mine.entry);
    expect(await mutations.refundRequest(mine.id, who(learner))).toMatchObject({ id: mine.id });
    expect(await mutations.refundRequest(mine.id, who('support', true))).toMatchObject({ id: mine.id });
    expect(await mutations.refundRequest(mine.id, who('learner9'))).toBeNull();
    expect(await mutations.refundRequest('not-an-id', who(learner))).toBeNull();
  });

  it.each([
    ['refund-queue', 'queue'],
    ['refund-requests', 'store'],
  ])('is UPSTREAM_UNAVAILABLE naming %s when the %s cannot be read', async (upstream, broken) => {
    const failingStore: RefundRequestStore = {
      save: async () => undefined,
      find: async () => {
        throw new Error('store is down');
      },
      close: async () => undefined,
    };
    const { mutations, lines } =
      broken === 'queue'
        ? harness({ refundQueue: await brokenQueue() })
        : harness({ refundRequests: failingStore });
    await expect(mutations.refundRequest(stored(learner).id, who(learner))).rejects.toMatchObject({
      message: 'Refund requests cannot be read right now',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream, retryable: true },
    });
    expect(lines.find((l) => l.msg === 'refund lookup failed')).toMatchObject({
      upstream,
      err: broken === 'queue' ? expect.stringMatching(/^redis not ready/) : 'store is down',
    });
  });
});

describe('fulfillOrder', () => {
  const open = seed.orders.filter((o) => o.status === 'Open').map((o) => o.number);

  it('refuses a learner with FORBIDDEN before any upstream call, audited as received', async () => {
    const { mutations, lines } = harness();
    const before = legacy.writes.executions.fulfillments;
    const c = call(learner);
    await expect(mutations.fulfillOrder(open[0]!, c)).rejects.toMatchObject({
      message: 'Only staff may fulfil orders',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(legacy.writes.executions.fulfillments).toBe(before);
    expect(lines.find((l) => l.idempotencyKey === c.idempotencyKey)).toMatchObject({
      operation: 'fulfillOrder',
      event: 'received',
      orderNumber: open[0],
    });
  });

  it('keys by order number: the same key for another order is IDEMPOTENCY_KEY_MISMATCH, with one fulfilment', async () => {
    const { mutations } = harness();
    const c = call('staff', randomUUID(), true);
    const before = legacy.writes.executions.fulfillments;
    const first = await mutations.fulfillOrder(open[1]!, c);
    expect(first).toMatchObject({ replayed: false, data: { number: open[1] } });
    await expect(mutations.fulfillOrder(open[2]!, c)).rejects.toMatchObject({
      extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH' },
    });
    expect(legacy.writes.executions.fulfillments).toBe(before + 1);
  });

  it('keeps its own record: a key spent on a refund still fulfils', async () => {
    const { mutations } = harness();
    const c = call('staff', randomUUID(), true);
    const own = refundableOrders('learner6', seed)[0]!.number;
    await mutations.requestRefund(input(own), 'IMMEDIATE', c);
    await expect(mutations.fulfillOrder(open[3]!, c)).resolves.toMatchObject({
      replayed: false,
      data: { number: open[3] },
    });
  });
});

// Records outlive a deploy (24 h in Redis): a new version must read what the running one stored, so
// the record names (operation) and what each fingerprint covers are a stored format, pinned here.
describe('records stored by this version', () => {
  async function stored(
    store: MemoryIdempotencyStore,
    scope: IdempotencyScope,
    args: unknown,
    data: unknown,
  ) {
    const print = fingerprint(scope.operation, args);
    const claim = await store.claim(scope, { fingerprint: print, ttlMs: DAY, leaseMs: 15_000 });
    if (claim.kind !== 'claimed') throw new Error(`could not store a record: ${claim.kind}`);
    await store.complete(scope, claim.token, print, { kind: 'success', data }, DAY);
  }
  const receipt = (id: string, orderNumber: string) => ({
    id,
    orderNumber,
    status: 'DELIVERED',
    refundIds: ['stored'],
    refundIdsKnown: true,
    attempts: 1,
    lastError: null,
    updatedAt: new Date(0).toISOString(),
  });

  it('replay an IMMEDIATE refund (input alone) and a DEFERRED one (input and delivery) with no upstream call', async () => {
    const store = new MemoryIdempotencyStore();
    const { mutations } = harness({ store });
    const [immediate, deferred] = [call(learner), call(learner)];
    const a = receipt('refund-a', orders[0]!);
    const b = receipt('refund-b', orders[1]!);
    await stored(
      store,
      { user: learner, operation: 'requestRefund', key: immediate.idempotencyKey },
      input(orders[0]!),
      a,
    );
    await stored(
      store,
      { user: learner, operation: 'requestRefund', key: deferred.idempotencyKey },
      { ...input(orders[1]!), delivery: 'DEFERRED' },
      b,
    );
    const before = refundWrites();
    await expect(mutations.requestRefund(input(orders[0]!), 'IMMEDIATE', immediate)).resolves.toEqual({
      replayed: true,
      data: a,
    });
    // The queue has no job of that id: the stored answer stands.
    await expect(mutations.requestRefund(input(orders[1]!), 'DEFERRED', deferred)).resolves.toEqual({
      replayed: true,
      data: b,
    });
    expect(refundWrites()).toBe(before);
  });

  it('refuses a second DEFERRED request with other arguments while the key’s record lives', async () => {
    const { mutations } = harness();
    const c = call(learner);
    await mutations.requestRefund(input(orders[5]!), 'DEFERRED', c);
    await expect(
      mutations.requestRefund(input(orders[5]!, 'another reason'), 'DEFERRED', c),
    ).rejects.toMatchObject({
      extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH' },
    });
  });

  it('replay a fulfilment (keyed by order number)', async () => {
    const store = new MemoryIdempotencyStore();
    const { mutations } = harness({ store });
    const c = call('staff', randomUUID(), true);
    const order = { number: 'EDX-STORED', status: 'Complete' };
    await stored(
      store,
      { user: 'staff', operation: 'fulfillOrder', key: c.idempotencyKey },
      { number: 'EDX-STORED' },
      order,
    );
    const before = legacy.writes.executions.fulfillments;
    await expect(mutations.fulfillOrder('EDX-STORED', c)).resolves.toEqual({ replayed: true, data: order });
    expect(legacy.writes.executions.fulfillments).toBe(before);
  });

  it('replay a deferred delivery under the worker’s own record, with no upstream call', async () => {
    const store = new MemoryIdempotencyStore();
    const { mutations } = harness({ store });
    const key = randomUUID();
    const job = { username: learner, idempotencyKey: key, input: input(orders[6]!), requestId: 'r-job' };
    const delivered = { orderNumber: orders[6]!, refundIds: ['stored'] };
    await stored(store, { user: learner, operation: 'requestRefund.deferred', key }, job.input, delivered);
    const before = refundWrites();
    await expect(mutations.deliverDeferred(job)).resolves.toEqual(delivered);
    expect(refundWrites()).toBe(before);
  });
});
