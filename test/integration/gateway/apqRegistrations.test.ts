import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Redis from 'ioredis';
import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { apqRegistrationKey } from '../../../gateway/plugins/guardApqRegistrations';
import { APQ_REDIS_PREFIX } from '../../../gateway/safelist/createApqCache';
import { sha256Hex } from '../../../gateway/safelist/PersistedQueryManifest';
import { signToken } from '../../../platform/auth/signToken';
import type { Env } from '../../../platform/config/parseEnv';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { promSample } from '../../helpers/promSample';

// Issue 20 §2: anonymous callers parked ~0.9 MB each in the shared Redis through APQ (`{ __typename }`
// plus a 900 KB comment, sent with a persistedQuery hash), with no TTL, in development and in
// production with PERSISTED_QUERIES=off. Against the real Redis (127.0.0.1:6379), through gateways
// built as main.ts builds them; `{ __typename }` documents call no subgraph, so none runs. Each run
// has its own rate-limit prefix, and deletes the registrations it made (content-addressed keys).
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-apq-${randomBytes(6).toString('hex')}`;
const clock = { now: 1_700_000_000_000 };
const HOUR = 3_600_000;
const apqKey = (query: string) => `${APQ_REDIS_PREFIX}apq:${sha256Hex(query)}`;
const made = new Set<string>();

/** `{ __typename }` padded with a unique comment to exactly `bytes` bytes. */
function typenameOf(bytes: number): string {
  const head = `{ __typename } # ${randomUUID()} `;
  const query = head + 'x'.repeat(bytes - head.length);
  made.add(apqKey(query));
  return query;
}

interface Running {
  url: string;
  /** `switchyard_apq_registrations_total{outcome}` on the admin port. */
  registrations(outcome: string): Promise<number>;
  token(user: string, staff?: boolean): string;
  stop(): Promise<void>;
}

async function gatewayWith(env: Env): Promise<Running> {
  const config = parseGatewayConfig({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, ...env });
  const gateway: Gateway = await createGateway(config, { logger: silentLogger(), now: () => clock.now });
  const url = await listen(gateway.httpServer, 0);
  const admin = await listen(gateway.adminServer, 0);
  return {
    url,
    registrations: async (outcome) =>
      promSample(await (await fetch(`${admin}/metrics`)).text(), 'switchyard_apq_registrations_total', {
        outcome,
      }) ?? 0,
    token: (user, staff = false) => signToken(user, config.jwt, { staff }),
    stop: async () => {
      await close(gateway.adminServer, 1000);
      await close(gateway.httpServer, 1000);
      await gateway.stop();
    },
  };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function send(
  gateway: Running,
  payload: { query?: string; hashOf?: string },
  authorization?: string,
): Promise<Answer> {
  const hash = sha256Hex(payload.hashOf ?? payload.query!);
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({
      ...(payload.query === undefined ? {} : { query: payload.query }),
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}
const register = (gateway: Running, query: string, authorization?: string) =>
  send(gateway, { query }, authorization);
const lookUp = (gateway: Running, query: string, authorization?: string) =>
  send(gateway, { hashOf: query }, authorization);
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

const redis = new Redis(REDIS_URL);
afterAll(async () => {
  const keys = [...made, ...(await redis.keys(`${prefix}:*`))];
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/**
 * Registers a fresh small query as `user` and waits until Redis holds it. Apollo stores a registration
 * without awaiting it, on the gateway's one connection, in order: once this one is there, any store
 * an earlier request had started is there too — so "absent" after it means "never stored".
 */
async function barrier(gateway: Running, user = 'apq-barrier'): Promise<void> {
  const query = typenameOf(64);
  expect((await register(gateway, query, `JWT ${gateway.token(user)}`)).status).toBe(200);
  for (let i = 0; i < 200 && (await redis.exists(apqKey(query))) === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await redis.exists(apqKey(query))).toBe(1);
}

describe.each([
  ['development', {}],
  [
    'production with PERSISTED_QUERIES=off (the shipped k8s configuration)',
    {
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex'),
      PERSISTED_QUERIES: 'off',
    },
  ],
])('anonymous callers cannot register (%s)', (_name, env) => {
  let gateway: Running;
  beforeAll(async () => {
    gateway = await gatewayWith({ ...env, RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(() => gateway.stop());

  it('refuses `{ __typename }` with a 900 KB comment: UNAUTHENTICATED, nothing stored', async () => {
    const queries = [typenameOf(900 * 1024), typenameOf(64)];
    for (const query of queries) {
      const answer = await register(gateway, query);
      expect(answer.status).toBe(401);
      expect(codeOf(answer)).toBe('UNAUTHENTICATED');
      expect(answer.body.data).toBeUndefined();
    }
    await barrier(gateway);
    for (const query of queries) expect(await redis.exists(apqKey(query))).toBe(0);
    expect(await gateway.registrations('anonymous')).toBe(2);
  });

  it('still answers anonymous lookups of a hash a user registered, and the same query sent plainly', async () => {
    const query = typenameOf(80);
    expect((await register(gateway, query, `JWT ${gateway.token('apq-learner-a')}`)).body).toEqual({
      data: { __typename: 'Query' },
    });
    const found = await lookUp(gateway, query);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ data: { __typename: 'Query' } });
    // An unknown hash is answered as Apollo clients expect, whoever asks.
    const unknown = await lookUp(gateway, typenameOf(80));
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Without the extension nothing is registered, so the anonymous introspection-only query runs.
    const plain = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await plain.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('what a learner may register', () => {
  let gateway: Running;
  beforeAll(async () => {
    gateway = await gatewayWith({ RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(() => gateway.stop());

  it('stores a registration of APQ_MAX_BYTES (8192) with a TTL of at most APQ_TTL_SECONDS (3600)', async () => {
    const query = typenameOf(8192);
    expect((await register(gateway, query, `JWT ${gateway.token('apq-learner-b')}`)).status).toBe(200);
    await barrier(gateway);
    expect(await redis.strlen(apqKey(query))).toBe(8192);
    const ttl = await redis.ttl(apqKey(query));
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('refuses one byte more, comments and whitespace counted: PERSISTED_QUERY_TOO_LARGE, nothing stored', async () => {
    const authorization = `JWT ${gateway.token('apq-learner-b')}`;
    const comment = typenameOf(8193);
    const spaces = `{${' '.repeat(8180)}__typename }`;
    made.add(apqKey(spaces));
    for (const query of [comment, spaces]) {
      const answer = await register(gateway, query, authorization);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'PERSISTED_QUERY_TOO_LARGE',
        maxBytes: 8192,
        bytes: Buffer.byteLength(query),
      });
    }
    await barrier(gateway);
    expect(await redis.exists(apqKey(comment), apqKey(spaces))).toBe(0);
    expect(await gateway.registrations('too_large')).toBe(2);
  });
});

describe('the most one caller can park in Redis in an hour (defaults)', () => {
  let gateway: Running;
  const figures: Record<string, unknown> = {};
  beforeAll(async () => {
    // Rate limits on, as deployed: their windows are Redis bytes too.
    gateway = await gatewayWith({ RATE_LIMIT_ENABLED: 'true' });
  });
  afterAll(async () => {
    await gateway.stop();
    // `COST_REPORT=<file> npx jest …apqRegistrations` keeps the measured figures (docs/security.md).
    if (process.env.COST_REPORT) writeFileSync(process.env.COST_REPORT, JSON.stringify(figures, null, 2));
  });

  const usage = async (keys: string[]) => {
    let total = 0;
    for (const key of keys) total += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    return total;
  };

  it.each([
    ['learner', false],
    ['staff', true],
  ])(
    'a %s: 20 registrations of at most 8 KiB an hour, then RATE_LIMITED; lookups never count',
    async (caller, staff) => {
      const user = `apq-${caller}-${randomUUID().slice(0, 8)}`;
      const authorization = `JWT ${gateway.token(user, staff)}`;
      const limitedBefore = await gateway.registrations('limited');
      const queries = Array.from({ length: 21 }, () => typenameOf(8192));
      const answers: Answer[] = [];
      // Spread over the hour, under the per-minute operation limit (60).
      for (const query of queries) {
        answers.push(await register(gateway, query, authorization));
        clock.now += 60_000;
      }
      expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(200));
      const refused = answers[20]!;
      expect(refused.status).toBe(429);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      await barrier(gateway);
      const stored = queries.slice(0, 20).map(apqKey);
      expect(await redis.exists(...stored)).toBe(20);
      expect(await redis.exists(apqKey(queries[20]!))).toBe(0);
      expect((await gateway.registrations('limited')) - limitedBefore).toBe(1);
      // Lookups of what is registered are not registrations: never refused, never counted.
      for (const query of queries.slice(0, 5))
        expect((await lookUp(gateway, query, authorization)).status).toBe(200);

      const registrationsKey = apqRegistrationKey(
        parseGatewayConfig({ RATE_LIMIT_KEY_PREFIX: prefix }).rateLimit,
        user,
      );
      const operationsKey = `${prefix}:ratelimit:{user:${user}}:operations`;
      const apqBytes = await usage(stored);
      const windowBytes = await usage([registrationsKey, operationsKey]);
      expect(await redis.zcard(registrationsKey)).toBe(20);
      // The bound docs/security.md states: 20 × (8192 B + Redis's own per-key cost, allocator rounding
      // included, under 2.5 KiB) + the two windows (under 8 KiB together).
      expect(apqBytes).toBeLessThanOrEqual(20 * (8192 + 2560));
      expect(windowBytes).toBeLessThanOrEqual(8192);
      for (const key of stored) expect(await redis.ttl(key)).toBeLessThanOrEqual(3600);
      figures[caller] = {
        registrations: 20,
        apqBytes,
        perRegistration: Math.round(apqBytes / 20),
        windowBytes,
        totalBytes: apqBytes + windowBytes,
      };

      // An hour after the first, the window has room again (and the first registrations have expired).
      clock.now += HOUR;
      expect((await register(gateway, typenameOf(100), authorization)).status).toBe(200);
    },
  );

  it('an anonymous address: no registration ever; its operations window, and nothing else', async () => {
    const queries = Array.from({ length: 70 }, () => typenameOf(8192));
    const answers: Answer[] = [];
    clock.now += HOUR;
    for (const query of queries) answers.push(await register(gateway, query));
    // Every one refused (the checks run together: UNAUTHENTICATED is raised before the limiter's
    // answer arrives); the window counts the 60 a minute it admits, no more.
    expect(answers.every((a) => a.status === 401 && codeOf(a) === 'UNAUTHENTICATED')).toBe(true);
    await barrier(gateway);
    expect(await redis.exists(...queries.map(apqKey))).toBe(0);
    const windowKey = `${prefix}:ratelimit:{ip:127.0.0.1}:operations`;
    const windowBytes = await usage([windowKey]);
    expect(await redis.zcard(windowKey)).toBe(60);
    expect(windowBytes).toBeLessThanOrEqual(8192);
    // It expires a window (a minute) after the last admission.
    expect(await redis.pttl(windowKey)).toBeLessThanOrEqual(60_000);
    figures.anonymous = { requests: queries.length, apqBytes: 0, windowBytes };
  });
});
