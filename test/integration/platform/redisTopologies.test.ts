import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseMutationsConfig } from '../../../subgraphs/orders/config/mutationsConfig';
import { parseRedisTarget } from '../../../platform/redis/redisTarget';
import { configError } from '../../helpers/configError';
import { refundableOrders } from '../../helpers/refundableOrders';
import { startRedisCluster, startRedisSentinel, type RedisTopology } from '../../helpers/startRedisTopology';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The orders subgraph and its refund worker on a Redis Cluster and behind Sentinel, each started for
// this file: idempotency records, replays and the BullMQ queue work the same as on one server.
const REFUND = `mutation R($input: RequestRefundInput!) {
  requestRefund(input: $input) { id orderNumber status refundIds }
}`;
// Prefixes of their own: a leftover job under the default prefix must not be what a test sees.
const CLUSTER_PREFIX = `{test-${randomUUID()}}`;
const SENTINEL_PREFIX = `test-${randomUUID()}`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status refundIds lastError } }`;

/** Keys matching `pattern` on every given server (a Cluster spreads them over its nodes). */
function keysOn(ports: number[], pattern: string): string[] {
  return ports.flatMap((port) =>
    spawnSync('redis-cli', ['-p', String(port), '--raw', 'keys', pattern], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean),
  );
}

async function provesExactlyOnce(
  stack: TestStack,
  user: string,
  orders: string[],
  dataPorts: number[],
  prefix: string,
): Promise<void> {
  const key = randomUUID();
  const refund = (orderNumber: string, delivery: 'IMMEDIATE' | 'DEFERRED', k = key) =>
    stack.query<any>(REFUND, {
      user,
      variables: { input: { orderNumber, delivery } },
      headers: { 'idempotency-key': k },
    });
  const first = await refund(orders[0]!, 'IMMEDIATE');
  expect(first.body.errors).toBeUndefined();
  expect(first.body.data.requestRefund.status).toBe('OPEN');
  const again = await refund(orders[0]!, 'IMMEDIATE');
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body.data).toEqual(first.body.data);
  expect(stack.simulators.legacy!.writes.refundCallsByKey.get(key)).toBe(
    first.body.data.requestRefund.refundIds.length,
  );

  // Deferred: queued in BullMQ, delivered by the worker.
  const queued = await refund(orders[1]!, 'DEFERRED', randomUUID());
  expect(queued.body.errors).toBeUndefined();
  const id = queued.body.data.requestRefund.id as string;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await stack.query<any>(STATUS, { user, variables: { id } });
    if (status.body.data?.refundRequest?.status === 'OPEN') break;
    if (Date.now() > deadline) throw new Error(`never delivered: ${JSON.stringify(status.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The records and the queue are on the topology's servers, not on some other Redis.
  expect(keysOn(dataPorts, `*${key}*`)).toHaveLength(1);
  expect(keysOn(dataPorts, `${prefix}:switchyard-refunds:*`).length).toBeGreaterThan(0);
}

describe('REDIS_URL=redis+cluster://…', () => {
  let cluster: RedisTopology;
  let stack: TestStack;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = await startTestStack(
      { REDIS_URL: cluster.url, REFUND_QUEUE_PREFIX: CLUSTER_PREFIX },
      { refundWorker: true },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  it('keeps refunds exactly-once, replays and the deferred queue working', async () => {
    await provesExactlyOnce(
      stack,
      'learner8',
      refundableOrders('learner8').map((o) => o.number),
      cluster.dataPorts,
      CLUSTER_PREFIX,
    );
  });
});

describe('REDIS_URL=redis+sentinel://…', () => {
  let sentinel: RedisTopology;
  let stack: TestStack;
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    stack = await startTestStack(
      { REDIS_URL: sentinel.url, REFUND_QUEUE_PREFIX: SENTINEL_PREFIX },
      { refundWorker: true },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await sentinel?.stop();
  });

  it('finds the primary through the Sentinel and works as on one server', async () => {
    await provesExactlyOnce(
      stack,
      'learner7',
      refundableOrders('learner7').map((o) => o.number),
      sentinel.dataPorts,
      SENTINEL_PREFIX,
    );
  });
});

describe('REDIS_URL topologies, parsed', () => {
  it.each([
    ['redis://127.0.0.1:6379/2', { kind: 'single' }],
    [
      'redis+sentinel://:s3cret@10.0.0.1,10.0.0.2:26380/main/3',
      {
        kind: 'sentinel',
        name: 'main',
        db: 3,
        password: 's3cret',
        tls: false,
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
        ],
      },
    ],
    [
      'rediss+cluster://redis-0.redis:6379,redis-1.redis',
      {
        kind: 'cluster',
        tls: true,
        nodes: [
          { host: 'redis-0.redis', port: 6379 },
          { host: 'redis-1.redis', port: 6379 },
        ],
      },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseRedisTarget(url)).toMatchObject(expected);
  });

  it.each([
    ['http://127.0.0.1:6379', 'must be redis://'],
    ['redis+sentinel://127.0.0.1:26379', 'names the primary'],
    ['redis+cluster://127.0.0.1:6379/1', 'takes no path'],
    ['redis+cluster://127.0.0.1:99999', 'is not host:port'],
  ])('stops start-up on REDIS_URL=%s', (url, message) => {
    const error = configError(() => parseMutationsConfig({ REDIS_URL: url }));
    expect(error).toContain('REDIS_URL');
    expect(error).toContain(message);
  });

  it('never prints a password from a refused REDIS_URL', () => {
    const error = configError(() => parseMutationsConfig({ REDIS_URL: 'redis+cluster://:hunter2@host:0' }));
    expect(error).not.toContain('hunter2');
    expect(error).toContain('<redacted>@');
  });

  it('hash-tags the queue prefix on a Cluster, and refuses a prefix without a tag there', () => {
    expect(parseMutationsConfig({ REDIS_URL: 'redis+cluster://h:6379' }).queuePrefix).toBe('{switchyard}');
    expect(parseMutationsConfig({ REDIS_URL: 'redis://h:6379' }).queuePrefix).toBe('switchyard');
    expect(
      configError(() =>
        parseMutationsConfig({ REDIS_URL: 'redis+cluster://h:6379', REFUND_QUEUE_PREFIX: 'sy' }),
      ),
    ).toContain('REFUND_QUEUE_PREFIX="sy" needs a hash tag');
  });
});
