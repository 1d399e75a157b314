import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'undici';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { SUBGRAPH_SECRET_HEADER } from '../../platform/http/subgraphSecret';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../simulators/lms/createLmsOAuthSimulator';
import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedOrder } from '../../simulators/seed/SeedOrder';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../simulators/vendor/createVendorSimulator';
import { spawnChaosProcess, type ChaosProcess } from './spawnChaosProcess';
import { startHoldingProxy, type HoldingProxy } from './startHoldingProxy';

export type Backend = 'legacy' | 'vendor';
export const BACKENDS: readonly Backend[] = ['legacy', 'vendor'];

/** The user every mutation experiment acts as: 40 vendor orders and several refundable legacy ones. */
export const MUTATION_USER = 'learner3';

export const REFUND_MUTATION = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id orderNumber status refundIds refundIdsKnown } }`;

/** The first error's code of a reply, or `none`. */
export const codeOf = (reply: MutationReply): string =>
  String(reply.body.errors?.[0]?.extensions?.code ?? 'none');

export interface MutationReply {
  status: number;
  /** The body exactly as sent: replays are compared byte for byte. */
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] };
  replayed: boolean;
}

export interface Started {
  process: ChaosProcess;
  url: string;
}

export interface MutationStack {
  seed: Seed;
  legacy: LegacyEcommerceSimulator;
  vendor: VendorSimulator;
  /** Between the orders subgraph (and worker) and each backend: holds a write's answer after it committed. */
  holding: Record<Backend, HoldingProxy>;
  /** For reading records (TTLs) and cleaning up; never used to fake an outcome. */
  redis: Redis;
  /** The orders subgraph's environment: simulators, Redis, this run's queue prefix and shared secret. */
  ordersEnv: Record<string, string>;
  /** Refundable orders of MUTATION_USER per backend; `take` hands out each once per stack. */
  take(backend: Backend): string;
  /** A fresh Idempotency-Key, remembered so its records are deleted at stop. */
  newKey(): string;
  /** Side effects the backend applied for refunds so far (simulator counters, not what we were told). */
  refundsApplied(backend: Backend): number;
  /**
   * What the backend holds for one order: legacy Refund records (one per course run, as the API
   * refunds by course), vendor updates that added return info. `expectedFor` is that count after
   * exactly one refund of the whole order.
   */
  appliedFor(backend: Backend, orderNumber: string): number;
  expectedFor(backend: Backend, orderNumber: string): number;
  startOrders(extra?: Record<string, string>): Promise<Started>;
  startWorker(extra?: Record<string, string>): Promise<Started>;
  startGateway(ordersUrl: string, extra?: Record<string, string>): Promise<Started>;
  /** `requestRefund` straight to an orders subgraph, as the gateway calls it (shared secret + JWT). */
  refund(ordersUrl: string, input: Record<string, unknown>, key: string | null): Promise<MutationReply>;
  /** Any GraphQL operation to a subgraph (`direct`) or the gateway. */
  post(
    url: string,
    query: string,
    variables: Record<string, unknown>,
    options?: {
      key?: string | null;
      direct?: boolean;
      headers?: Record<string, string>;
      /** Aborting it destroys the connection: the caller going away mid-request. */
      signal?: AbortSignal;
    },
  ): Promise<MutationReply>;
  stop(): Promise<void>;
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Real processes for the mutation experiments (T9–T13, T15): simulators in this process behind holding
 * proxies, orders subgraphs, workers and gateways spawned from dist/ on the real Redis. The queue has
 * a prefix of its own per stack; records are scoped by each experiment's fresh keys and deleted at stop.
 */
export async function startMutationStack(): Promise<MutationStack> {
  const seed = createSeed();
  const jwt = parseJwtEnv({});
  const authorization = `JWT ${signToken(MUTATION_USER, jwt, { expiresInSeconds: 3600 })}`;
  const secret = randomBytes(32).toString('hex');
  const prefix = `chaos-${randomUUID()}`;
  const stoppers: (() => Promise<void>)[] = [];
  const processes: ChaosProcess[] = [];
  const keys: string[] = [];
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  stoppers.unshift(async () => void redis.disconnect());
  try {
    await redis.connect();
    const legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
    stoppers.unshift(() => legacy.close());
    const vendor = await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT });
    stoppers.unshift(() => vendor.close());
    const lms: LmsOAuthSimulator = await createLmsOAuthSimulator({ jwt });
    stoppers.unshift(() => lms.close());
    // The refund rule's course runs (start, seats); the LMS simulator answers its certificates.
    const discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
    stoppers.unshift(() => discovery.close());
    const holding = {
      legacy: await startHoldingProxy(legacy.url, (m, p) => m === 'POST' && p.startsWith('/api/v2/refunds')),
      // The token endpoint is not behind it (VENDOR_AUTH_URL goes straight to the simulator).
      vendor: await startHoldingProxy(vendor.url, (m, p) => m === 'POST' && /\/orders\/[^/]+$/.test(p)),
    };
    stoppers.unshift(
      () => holding.legacy.close(),
      () => holding.vendor.close(),
    );
    const ordersEnv = {
      LEGACY_ECOMMERCE_URL: holding.legacy.url,
      VENDOR_API_URL: holding.vendor.url,
      VENDOR_AUTH_URL: vendor.url,
      VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
      LMS_OAUTH2_URL: lms.url,
      DISCOVERY_URL: discovery.url,
      // The seed's orders are years old: a refund window that still covers them.
      REFUND_WINDOW_DAYS: '36500',
      REDIS_URL,
      REFUND_QUEUE_PREFIX: prefix,
      SUBGRAPH_SHARED_SECRET: secret,
      ORDERS_SUBGRAPH_PORT: '0',
    };
    const targets: Record<Backend, string[]> = {
      legacy: refundableLegacyOrders(seed).map((o) => o.number),
      vendor: (seed.vendorOrders ?? [])
        .filter((o) => o.username === MUTATION_USER && o.status === 'Complete' && o.lines.length > 0)
        .map((o) => o.number),
    };
    const pools = new Map<string, Pool>();
    const poolFor = (origin: string) => {
      let pool = pools.get(origin);
      if (!pool) pools.set(origin, (pool = new Pool(origin, { connections: 64 })));
      return pool;
    };
    stoppers.unshift(async () => void (await Promise.all([...pools.values()].map((p) => p.close()))));
    const start = async (entry: string, env: Record<string, string>, ready: string) => {
      const started = spawnChaosProcess(entry, env);
      processes.push(started);
      const line = await started.waitFor(ready);
      return { process: started, url: String(line.url) };
    };
    const post: MutationStack['post'] = async (url, query, variables, options = {}) => {
      const target = new URL(url);
      const response = await poolFor(target.origin).request({
        method: 'POST',
        path: target.pathname,
        headers: {
          'content-type': 'application/json',
          authorization,
          ...(options.key ? { 'idempotency-key': options.key } : {}),
          ...(options.direct ? { [SUBGRAPH_SECRET_HEADER]: secret } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
        signal: options.signal,
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        text,
        body: JSON.parse(text) as MutationReply['body'],
        replayed: response.headers['idempotent-replayed'] === 'true',
      };
    };
    return {
      seed,
      legacy,
      vendor,
      holding,
      redis,
      ordersEnv,
      take: (backend) => {
        const next = targets[backend].shift();
        if (!next) throw new Error(`no refundable ${backend} order left for ${MUTATION_USER}`);
        return next;
      },
      newKey: () => {
        const key = randomUUID();
        keys.push(key);
        return key;
      },
      refundsApplied: (backend) =>
        backend === 'legacy' ? legacy.writes.executions.refunds : vendor.writes.executions.returns,
      appliedFor: (backend, orderNumber) =>
        backend === 'legacy'
          ? legacy.writes.refunds.filter((r) => r.orderNumber === orderNumber).length
          : vendor.writes.log.filter(
              (u) => u.orderNumber === orderNumber && u.actions.includes('addReturnInfo'),
            ).length,
      expectedFor: (backend, orderNumber) =>
        backend === 'legacy'
          ? new Set(
              seed.orders.find((o) => o.number === orderNumber)?.lines.flatMap((l) => l.courseKey ?? []),
            ).size
          : 1,
      startOrders: (extra = {}) =>
        start('subgraphs/orders/main.js', { ...ordersEnv, ...extra }, 'orders subgraph listening'),
      startWorker: (extra = {}) =>
        start(
          'subgraphs/orders/worker/main.js',
          { ...ordersEnv, REFUND_WORKER_PORT: '0', ...extra },
          'refund worker listening',
        ),
      startGateway: (ordersUrl, extra = {}) =>
        start(
          'gateway/main.js',
          {
            SUBGRAPH_SHARED_SECRET: secret,
            GATEWAY_PORT: '0',
            ORDERS_SUBGRAPH_URL: ordersUrl,
            // No catalog: these experiments touch only the orders subgraph.
            CATALOG_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
            ...extra,
          },
          'gateway listening',
        ),
      refund: (url, input, key) => post(url, REFUND_MUTATION, { input }, { key, direct: true }),
      post,
      stop: async () => {
        holding.legacy.release();
        holding.vendor.release();
        await Promise.all(processes.map((p) => p.kill('SIGKILL')));
        await deleteRecords(redis, prefix, keys).catch(() => undefined);
        for (const stop of stoppers) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const stop of stoppers) await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * MUTATION_USER's legacy orders one refund reaches on its own: Complete, with a course, no course held
 * by another of their Complete orders (else REFUND_SCOPE_AMBIGUOUS; docs/mutations-and-idempotency.md).
 */
function refundableLegacyOrders(seed: Seed): SeedOrder[] {
  const courses = (o: SeedOrder) => o.lines.flatMap((l) => (l.courseKey ? [l.courseKey] : []));
  const complete = seed.orders.filter((o) => o.username === MUTATION_USER && o.status === 'Complete');
  const holders = new Map<string, number>();
  for (const order of complete)
    for (const course of new Set(courses(order))) holders.set(course, (holders.get(course) ?? 0) + 1);
  return complete.filter((o) => courses(o).length > 0 && courses(o).every((c) => holders.get(c) === 1));
}

async function deleteRecords(redis: Redis, prefix: string, keys: readonly string[]): Promise<void> {
  // One pass over each pattern: the worker's own records name the key too, under a scope of their own.
  const ours = (name: string) => name.startsWith(prefix) || keys.some((k) => name.includes(k));
  for (const pattern of [`${prefix}*`, 'switchyard:idem:*']) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const mine = found.filter(ours);
      if (mine.length) await redis.del(...mine);
    } while (cursor !== '0');
  }
}
