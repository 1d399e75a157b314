import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import type { Env } from '../../../platform/config/parseEnv';
import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { freePort } from '../../helpers/freePort';
import { promSample } from '../../helpers/promSample';

// The rate limit counted in the real Redis (127.0.0.1:6379) by two gateway instances, and what a
// gateway does when its Redis is unreachable. `{ __typename }` calls no subgraph, so the gateways need
// none running. Each run has its own key prefix and removes its keys.

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-ratelimit-${randomBytes(6).toString('hex')}`;
const token = signToken('learner1', parseJwtEnv({}));
const clock = { now: 1_700_000_000_000 };

interface Running {
  url: string;
  admin: string;
  stop(): Promise<void>;
}

async function gatewayWith(env: Env): Promise<Running> {
  const config = parseGatewayConfig({ RATE_LIMIT_KEY_PREFIX: prefix, ...env });
  const gateway: Gateway = await createGateway(config, { logger: silentLogger(), now: () => clock.now });
  const url = await listen(gateway.httpServer, 0);
  const admin = await listen(gateway.adminServer, 0);
  return {
    url,
    admin,
    stop: async () => {
      await close(gateway.adminServer, 1000);
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    },
  };
}

const typename = async (url: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code };
};

const redis = new Redis(REDIS_URL);
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

it('shares one count between two gateway instances', async () => {
  const env = { REDIS_URL, RATE_LIMIT_OPERATIONS: '6' };
  const [a, b] = await Promise.all([gatewayWith(env), gatewayWith(env)]);
  try {
    const answers = [];
    // Alternating, as a load balancer would spread them: six in all, not six each.
    for (let i = 0; i < 10; i++) answers.push(await typename(i % 2 === 0 ? a.url : b.url));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(6);
    expect(answers.slice(6)).toEqual(Array(4).fill({ status: 429, code: 'RATE_LIMITED' }));
    // The count lives in Redis, under the deployment's prefix, in the user's hash-tagged key.
    expect(await redis.zcard(`${prefix}:ratelimit:{user:learner1}:operations`)).toBe(6);
    const metrics = await (await fetch(`${a.admin}/metrics`)).text();
    expect(promSample(metrics, 'switchyard_rate_limit_shared')).toBe(1);
    expect(promSample(metrics, 'switchyard_rate_limit_store_errors_total')).toBe(0);
    // Concurrent requests through both at once cannot overshoot: the check-and-count is one script.
    clock.now += 60_001;
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => typename(i % 2 === 0 ? a.url : b.url)),
    );
    expect(burst.filter((r) => r.status === 200)).toHaveLength(6);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

it('keeps serving when Redis is unreachable, counting in memory and saying so in metrics', async () => {
  const gateway = await gatewayWith({
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    RATE_LIMIT_OPERATIONS: '3',
  });
  try {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await typename(gateway.url));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    const metrics = await (await fetch(`${gateway.admin}/metrics`)).text();
    expect(promSample(metrics, 'switchyard_rate_limit_store_errors_total')).toBe(5);
    expect(promSample(metrics, 'switchyard_rate_limit_shared')).toBe(0);
  } finally {
    await gateway.stop();
  }
});
