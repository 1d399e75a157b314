import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createUpstream } from '../../../upstream/createUpstream';
import { RedisStaleStore } from '../../../upstream/RedisStaleStore';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream } from '../../helpers/startFakeUpstream';
import { startTestStack } from '../../helpers/startTestStack';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

it('shares stale answers between instances through Redis', async () => {
  const upstream = await startFakeUpstream();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const options = parseUpstreamEnv('T', 'shared', upstream.url, { T_STALE_IF_ERROR_MS: '60000' });
  const a = createUpstream(options, { staleStore: new RedisStaleStore(redis) });
  const b = createUpstream(options, { staleStore: new RedisStaleStore(redis) });
  const path = `/orders/${randomUUID()}`;
  try {
    let fail = false;
    upstream.handle((_req, res) => (fail ? json(res, 500, {}) : json(res, 200, { fresh: true })));
    await a.request({ method: 'GET', path, staleScope: 'learner1', headers: { authorization: 'JWT x' } });
    await new Promise((r) => setTimeout(r, 50)); // the store write is not awaited by the request
    fail = true;
    const served = await b.request({
      method: 'GET',
      path,
      staleScope: 'learner1',
      headers: { authorization: 'JWT x' },
    });
    expect(served.body).toEqual({ fresh: true });
    expect(served.stale).toBeDefined();
    await expect(
      b.request({ method: 'GET', path, staleScope: 'learner2', headers: { authorization: 'JWT x' } }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
  } finally {
    await Promise.all([a.close(), b.close(), upstream.close()]);
    await redis.quit();
  }
});

it('serves the last good order history when legacy fails, saying so in extensions.degraded', async () => {
  const stack = await startTestStack({ LEGACY_ECOMMERCE_STALE_IF_ERROR_MS: '60000' });
  try {
    const query = '{ orderHistory(pageSize: 5) { count orders { number } } }';
    const fresh = await stack.query<any>(query, { authorization: `JWT ${stack.token('learner1')}` });
    expect((fresh.body as any).extensions).toBeUndefined();
    stack.simulators.legacy!.setFaults({ errorRate: 1 });
    // Stale answers are keyed by the verified user, not the credential: the learner's refreshed
    // token (another `iat`, another `exp`) still gets theirs.
    const refreshed = `JWT ${stack.token('learner1', { expiresInSeconds: 7200 })}`;
    const stale = await stack.query<any>(query, { authorization: refreshed });
    expect(stale.body.errors).toBeUndefined();
    expect(stale.body.data).toEqual(fresh.body.data);
    expect((stale.body as any).extensions.degraded).toEqual([
      expect.objectContaining({ upstream: 'legacy-ecommerce', reason: 'stale' }),
    ]);
    // Never across users: learner3 has nothing stored and gets the error.
    const other = await stack.query<any>(query, { user: 'learner3' });
    expect(other.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR' });
  } finally {
    await stack.stop();
  }
});
