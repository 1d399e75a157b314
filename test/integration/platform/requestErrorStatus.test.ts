import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// GraphQL over HTTP: a request error (parse, validation, variable coercion) answers 200 to a client
// that accepts only application/json, and keeps its 400 for one that accepts
// application/graphql-response+json. The gateway and both subgraphs share the handler
// (platform/http/createGraphQLHandler.ts); the gateway's own calls to a subgraph accept application/json.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const JSON_ONLY = 'application/json';
const GRAPHQL_JSON = 'application/graphql-response+json';

async function post(
  url: string,
  accept: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, type: response.headers.get('content-type'), json };
}

const cases = [
  ['does not parse', { query: '{' }, 'GRAPHQL_PARSE_FAILED'],
  ['does not validate', { query: '{ noSuchField }' }, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'has variables that do not coerce',
    { query: 'query Q($b: Boolean!) { __typename @skip(if: $b) }', variables: { b: 'x' } },
    'BAD_USER_INPUT',
  ],
] as const;

describe.each([
  ['the gateway', () => `${stack.gatewayUrl}/graphql`, {}],
  ['the catalog subgraph', () => `${stack.catalogUrl}/graphql`, 'secret'],
] as const)('%s', (_name, url, auth) => {
  const headers = () => (auth === 'secret' ? stack.subgraphHeaders : {});
  it.each(cases)(
    'answers a request that %s 200 to application/json, 400 to graphql-response+json',
    async (_what, body, code) => {
      for (const accept of [JSON_ONLY, `${JSON_ONLY}, ${GRAPHQL_JSON};q=0`]) {
        const loose = await post(url(), accept, body, headers());
        expect({ status: loose.status, code: loose.json.errors?.[0]?.extensions?.code }).toEqual({
          status: 200,
          code,
        });
        expect(loose.type).toMatch(/^application\/json/);
        expect(loose.json).not.toHaveProperty('data');
      }
      for (const accept of [GRAPHQL_JSON, `${GRAPHQL_JSON}, ${JSON_ONLY};q=0.9`, '*/*']) {
        const strict = await post(url(), accept, body, headers());
        expect({ status: strict.status, code: strict.json.errors?.[0]?.extensions?.code }).toEqual({
          status: 400,
          code,
        });
      }
    },
  );

  it('keeps 400 for a request that is not well-formed, whatever the client accepts', async () => {
    const missing = await post(url(), JSON_ONLY, { variables: {} }, headers());
    expect(missing.status).toBe(400);
    expect(missing.json.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
