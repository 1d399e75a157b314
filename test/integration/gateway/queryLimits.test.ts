import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';
import { configError } from '../../helpers/configError';

// Abusive documents are refused at the gateway before any planning or subgraph call (docs/reference/resilience.md
// T16): too deep, too many aliases, too many tokens, array batches, and GET without a CSRF preflight.
const PAGE = `{ orderHistory(pageSize: 2) { orders { lines { courseRun { title } } } } }`; // 5 deep

let stack: TestStack;
beforeAll(async () => {
  // Depth 4 so the 5-deep order-history page is over it: the schema itself is no deeper than 5 today.
  stack = await startTestStack({
    GATEWAY_MAX_DEPTH: '4',
    GATEWAY_MAX_ALIASES: '3',
    GATEWAY_MAX_TOKENS: '200',
    GATEWAY_MAX_DIRECTIVES: '2',
    GATEWAY_MAX_SPREADS: '3',
  });
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
});

/** Subgraph calls the gateway made so far, from its own metrics. */
async function subgraphCalls(): Promise<number> {
  const text = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
  let calls = 0;
  for (const match of text.matchAll(/^switchyard_upstream_calls_total\{[^}]*\} (\d+)$/gm))
    calls += Number(match[1]);
  return calls;
}

async function expectRefusedUpfront(run: () => Promise<{ status: number; body: any }>, code: string) {
  const before = await subgraphCalls();
  const { status, body } = await run();
  expect(status).toBe(400);
  expect(body.errors?.[0]?.extensions?.code).toBe(code);
  expect(await subgraphCalls()).toBe(before);
  expect(stack.simulators.legacy!.stats().total + stack.simulators.discovery!.stats().total).toBe(0);
  return body.errors[0];
}

it('refuses a query deeper than GATEWAY_MAX_DEPTH, naming the limit', async () => {
  const error = await expectRefusedUpfront(
    () => stack.query(PAGE, { user: 'learner1' }),
    'GRAPHQL_VALIDATION_FAILED',
  );
  expect(error.extensions.limit).toEqual({ name: 'depth', max: 4, actual: 5 });
  // One level less goes through.
  const ok = await stack.query(`{ orderHistory(pageSize: 2) { orders { lines { title } } } }`, {
    user: 'learner1',
  });
  expect(ok.body.errors).toBeUndefined();
});

it('refuses more aliases than GATEWAY_MAX_ALIASES', async () => {
  const aliased = `{ ${[1, 2, 3, 4].map((i) => `h${i}: orderHistory(pageSize: 1) { count }`).join(' ')} }`;
  const error = await expectRefusedUpfront(
    () => stack.query(aliased, { user: 'learner1' }),
    'GRAPHQL_VALIDATION_FAILED',
  );
  expect(error.extensions.limit).toEqual({ name: 'aliases', max: 3, actual: 4 });
});

it('refuses more directives than GATEWAY_MAX_DIRECTIVES and more fragment spreads than GATEWAY_MAX_SPREADS, as executed', async () => {
  const directives = `{ orderHistory(pageSize: 1) { ...C ...C } } fragment C on OrderHistoryPage { count @include(if: true) }`;
  const directivesError = await expectRefusedUpfront(
    () =>
      stack.query(directives.replace('{ ...C ...C }', '{ ...C ...C pageCount @skip(if: false) }'), {
        user: 'learner1',
      }),
    'GRAPHQL_VALIDATION_FAILED',
  );
  expect(directivesError.extensions.limit).toEqual({ name: 'directives', max: 2, actual: 3 });
  const spreads = `{ orderHistory(pageSize: 1) { ...P ...P } } fragment P on OrderHistoryPage { ...C ...C } fragment C on OrderHistoryPage { count }`;
  const spreadsError = await expectRefusedUpfront(
    () => stack.query(spreads, { user: 'learner1' }),
    'GRAPHQL_VALIDATION_FAILED',
  );
  expect(spreadsError.extensions.limit).toEqual({ name: 'spreads', max: 3, actual: 6 });
  // At the limits the same shapes go through.
  for (const query of [
    directives,
    `{ orderHistory(pageSize: 1) { ...P } } fragment P on OrderHistoryPage { ...C ...C } fragment C on OrderHistoryPage { count }`,
  ]) {
    const ok = await stack.query(query, { user: 'learner1' });
    expect(ok.body.errors).toBeUndefined();
  }
});

it('refuses a document of more than GATEWAY_MAX_TOKENS tokens before parsing it all', async () => {
  const long = `{ orderHistory { count ${'pageCount '.repeat(250)} } }`;
  await expectRefusedUpfront(() => stack.query(long, { user: 'learner1' }), 'GRAPHQL_PARSE_FAILED');
});

it('refuses array batches and GET requests without a CSRF preflight header', async () => {
  const batch = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `JWT ${stack.token('learner1')}` },
    body: JSON.stringify([{ query: '{ orderHistory { count } }' }, { query: '{ orderHistory { count } }' }]),
  });
  expect(batch.status).toBe(400);
  const get = await fetch(
    `${stack.gatewayUrl}/graphql?query=${encodeURIComponent('{ orderHistory { count } }')}`,
    {
      headers: { authorization: `JWT ${stack.token('learner1')}` },
    },
  );
  expect(get.status).toBe(400);
  expect(stack.simulators.legacy!.stats().total).toBe(0);
  // With the preflight header a GET query is fine (reads only: Apollo refuses mutations over GET).
  const preflighted = await fetch(
    `${stack.gatewayUrl}/graphql?query=${encodeURIComponent('{ orderHistory { count } }')}`,
    { headers: { authorization: `JWT ${stack.token('learner1')}`, 'apollo-require-preflight': 'true' } },
  );
  expect(preflighted.status).toBe(200);
});

describe('in production (NODE_ENV=production)', () => {
  let production: TestStack;
  beforeAll(async () => {
    // Production refuses a missing or short secret (secretEnv); the simulators take these too.
    production = await startTestStack({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-sized-jwt-secret-for-this-test-only',
      VENDOR_CLIENT_SECRET: 'a-production-sized-vendor-client-secret-for-tests',
    });
  });
  afterAll(() => production.stop());

  it('turns introspection, field suggestions and the explorer off', async () => {
    const introspection = await production.query('{ __schema { queryType { name } } }', { user: 'learner1' });
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await production.query('{ orderHistry { count } }', { user: 'learner1' });
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    expect((await fetch(`${production.gatewayUrl}/`)).status).toBe(404);
    const page = await production.query('{ orderHistory(pageSize: 1) { count } }', { user: 'learner1' });
    expect(page.body.errors).toBeUndefined();
  });
});

it('stops start-up when the explorer is on but introspection is off, naming both variables', () => {
  expect(
    configError(() => parseGatewayConfig({ EXPLORER_ENABLED: 'true', GATEWAY_INTROSPECTION: 'false' })),
  ).toMatch(/EXPLORER_ENABLED.*GATEWAY_INTROSPECTION/);
  expect(configError(() => parseGatewayConfig({ GATEWAY_MAX_DEPTH: '0' }))).toMatch(/GATEWAY_MAX_DEPTH/);
  expect(configError(() => parseGatewayConfig({ GATEWAY_MAX_DIRECTIVES: '-1' }))).toMatch(
    /GATEWAY_MAX_DIRECTIVES/,
  );
  expect(configError(() => parseGatewayConfig({ GATEWAY_MAX_SPREADS: '10001' }))).toMatch(
    /GATEWAY_MAX_SPREADS/,
  );
  expect(parseGatewayConfig({}).limits).toMatchObject({ maxDirectives: 50, maxSpreads: 100 });
});
