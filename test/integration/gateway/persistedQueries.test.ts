import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { sha256Hex } from '../../../gateway/safelist/PersistedQueryManifest';
import { configError } from '../../helpers/configError';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

const HISTORY = 'query MyCount { orderHistory(pageSize: 1) { count } }';
const OTHER = 'query Other { orderHistory(pageSize: 2) { count orders { number } } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-pq-'));
function manifestFile(
  operations: { name: string; body: string; id?: string }[],
  name = 'manifest.json',
): string {
  const path = join(dir, name);
  const manifest = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map((o) => ({
      id: o.id ?? sha256Hex(o.body),
      name: o.name,
      type: 'query',
      body: o.body,
    })),
  };
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}
const MANIFEST = manifestFile([{ name: 'MyCount', body: HISTORY }]);

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(
  stack: TestStack,
  payload: Record<string, unknown>,
  user: string | null = 'learner1',
): Promise<Answer> {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(user ? { authorization: `JWT ${stack.token(user)}` } : {}),
    },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}
const byId = (query: string) => ({
  extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } },
});

describe('PERSISTED_QUERIES=require: only the manifest runs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ PERSISTED_QUERIES: 'require', PERSISTED_QUERIES_MANIFEST: MANIFEST });
  });
  afterAll(() => stack.stop());

  it('runs a manifest operation sent as its exact body, or by its id alone', async () => {
    const asBody = await post(stack, { query: HISTORY });
    const asId = await post(stack, byId(HISTORY));
    expect(asBody.status).toBe(200);
    expect(asBody.body.errors).toBeUndefined();
    expect(asBody.body.data.orderHistory.count).toBeGreaterThan(0);
    expect(asId.body).toEqual(asBody.body);
  });

  it.each([
    ['another operation', { query: OTHER }],
    ['the manifest body with one more space', { query: `${HISTORY} ` }],
    ['a new APQ registration', { query: OTHER, ...byId(OTHER) }],
  ])('refuses %s with PERSISTED_QUERY_NOT_IN_LIST before any upstream call', async (_name, payload) => {
    stack.simulators.legacy!.resetStats();
    const answer = await post(stack, payload);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(answer.body.data).toBeUndefined();
    expect(stack.simulators.legacy!.stats().total).toBe(0);
  });

  it('answers an unknown id as APQ does (the client may then send the body, which the list refuses)', async () => {
    const answer = await post(stack, byId(OTHER));
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps introspection open where it is enabled, so the explorer loads the schema', async () => {
    const answer = await post(stack, { query: INTROSPECTION }, null);
    expect(answer.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('counts what it checked on the admin port', async () => {
    const metrics = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
    for (const outcome of ['listed', 'introspection', 'refused']) {
      expect(metrics).toMatch(
        new RegExp(`switchyard_safelist_operations_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`),
      );
    }
  });
});

describe('PERSISTED_QUERIES=require with introspection off (production)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      PERSISTED_QUERIES: 'require',
      PERSISTED_QUERIES_MANIFEST: MANIFEST,
      GATEWAY_INTROSPECTION: 'false',
      EXPLORER_ENABLED: 'false',
    });
  });
  afterAll(() => stack.stop());

  it('refuses introspection too (introspection being off refuses it first, in validation)', async () => {
    const answer = await post(stack, { query: INTROSPECTION });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still runs the manifest', async () => {
    expect((await post(stack, byId(HISTORY))).body.data.orderHistory.count).toBeGreaterThan(0);
  });
});

describe('PERSISTED_QUERIES=allow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ PERSISTED_QUERIES: 'allow', PERSISTED_QUERIES_MANIFEST: MANIFEST });
  });
  afterAll(() => stack.stop());

  it('resolves manifest ids and still runs anything else', async () => {
    const asId = await post(stack, byId(HISTORY));
    const other = await post(stack, { query: OTHER });
    expect(asId.body.data.orderHistory.count).toBeGreaterThan(0);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.orderHistory.orders).toHaveLength(2);
  });
});

describe('APQ across gateway instances (REDIS_URL)', () => {
  let first: TestStack;
  let second: TestStack;
  beforeAll(async () => {
    // Registrations are counted per user in Redis (APQ_REGISTRATIONS_PER_HOUR): this run's own count.
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_KEY_PREFIX: `test-pq-${randomUUID()}` };
    first = await startTestStack(env);
    second = await startTestStack(env);
  });
  afterAll(() => Promise.all([first.stop(), second.stop()]));

  it('knows on one instance a hash registered through the other', async () => {
    // A comment makes the hash new on every run: the Redis outlives the test.
    const query = `${OTHER} # ${randomUUID()}`;
    expect((await post(second, byId(query))).body.errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const registered = await post(first, { query, ...byId(query) });
    expect(registered.body.errors).toBeUndefined();
    const elsewhere = await post(second, byId(query));
    expect(elsewhere.body).toEqual(registered.body);
  });
});

describe('persisted-query configuration', () => {
  it.each([
    [{ PERSISTED_QUERIES: 'require' }, 'PERSISTED_QUERIES=require needs PERSISTED_QUERIES_MANIFEST'],
    [{ PERSISTED_QUERIES: 'sometimes' }, 'PERSISTED_QUERIES'],
    [{ PERSISTED_QUERIES: 'allow', PERSISTED_QUERIES_MANIFEST: join(dir, 'missing.json') }, 'cannot read'],
    [
      {
        PERSISTED_QUERIES: 'require',
        PERSISTED_QUERIES_MANIFEST: manifestFile(
          [{ name: 'Bad', body: HISTORY, id: sha256Hex(OTHER) }],
          'bad-id.json',
        ),
      },
      'operation "Bad" has an id that is not the sha256 of its body',
    ],
    [
      {
        PERSISTED_QUERIES: 'require',
        PERSISTED_QUERIES_MANIFEST: (() => {
          const path = join(dir, 'wrong-format.json');
          writeFileSync(path, JSON.stringify({ format: 'relay', version: 1, operations: [] }));
          return path;
        })(),
      },
      'not an Apollo persisted-query manifest (format',
    ],
  ])('stops start-up on %j', (env, message) => {
    const error = configError(() => parseGatewayConfig(env));
    expect(error).toContain(message);
    expect(error).toContain('PERSISTED_QUERIES');
  });
});
