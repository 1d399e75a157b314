import type { DestinationStream } from 'pino';
import { createLogger } from '../../../platform/createLogger';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

type LogLine = Record<string, any>;

/** Every component's log lines, parsed, in one list (the stack logs at info). */
function capturingLogger(lines: LogLine[]) {
  const destination: DestinationStream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return (component: string) => createLogger(component, 'info', destination);
}

const masked = (lines: LogLine[]) => lines.filter((l) => l.msg === 'unexpected error masked');

// Each subgraph knows only its own entity types.
const ENTITIES = {
  orders: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Order { number } } }',
  catalog: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on CourseRun { key } } }',
};

let stack: TestStack;
const lines: LogLine[] = [];
beforeAll(async () => {
  stack = await startTestStack({}, { logger: capturingLogger(lines) });
});
afterAll(() => stack.stop());
beforeEach(() => {
  lines.length = 0;
  stack.simulators.legacy!.resetStats();
  stack.simulators.discovery!.resetStats();
});

/** POST straight to a subgraph, as the gateway would (its shared secret, the learner's token). */
function toSubgraph(subgraph: 'orders' | 'catalog', representations: unknown[], requestId: string) {
  return stack.query<{ _entities: unknown[] }>(ENTITIES[subgraph], {
    url: `${subgraph === 'orders' ? stack.ordersUrl : stack.catalogUrl}/graphql`,
    user: 'learner1',
    variables: { r: representations },
    headers: { ...stack.subgraphHeaders, 'x-request-id': requestId },
  });
}

describe('an entity representation without its key', () => {
  it('is BAD_USER_INPUT at the orders subgraph, for that representation only', async () => {
    const history = await stack.query<{ orderHistory: { orders: { number: string }[] } }>(
      '{ orderHistory(pageSize: 1) { orders { number } } }',
      { user: 'learner1' },
    );
    const number = history.body.data!.orderHistory.orders[0]!.number;
    stack.simulators.legacy!.resetStats();

    const result = await toSubgraph(
      'orders',
      [{ __typename: 'Order' }, { __typename: 'Order', number }],
      'key-missing-orders',
    );

    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    expect(JSON.stringify(result.body)).not.toContain('loader.load()');
    expect(result.body.data?._entities).toEqual([null, { number }]);
    // The valid one cost its own lookup; the bad one none.
    expect(stack.simulators.legacy!.stats().total).toBe(1);
    expect(masked(lines)).toEqual([]);
  });

  it('is BAD_USER_INPUT at the catalog subgraph, with no discovery call', async () => {
    const result = await toSubgraph('catalog', [{ __typename: 'CourseRun' }], 'key-missing-catalog');
    expect(result.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 0], 'BAD_USER_INPUT'],
    ]);
    expect(stack.simulators.discovery!.stats().total).toBe(0);
  });
});

describe('an error raised without a code', () => {
  // @apollo/subgraph's `_entities` resolver throws a plain Error for a type it does not know.
  const LIBRARY_TEXT = 'The _entities resolver tried to load an entity for type "Refund"';

  it.each(['orders', 'catalog'] as const)(
    'answers INTERNAL_SERVER_ERROR with a fixed message at the %s subgraph, and logs the original once',
    async (subgraph) => {
      const requestId = `plain-error-${subgraph}`;
      const result = await toSubgraph(subgraph, [{ __typename: 'Refund', id: '1' }], requestId);

      expect(result.body.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['_entities'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(result.body)).not.toContain('_entities resolver');
      const logged = masked(lines);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 50,
        requestId,
        err: { message: expect.stringContaining(LIBRARY_TEXT), stack: expect.stringContaining('Error:') },
      });
    },
  );
});

describe('at the gateway, a subgraph’s internal error', () => {
  let fake: FakeUpstream;
  let gateway: TestStack;
  beforeAll(async () => {
    fake = await startFakeUpstream();
    gateway = await startTestStack(
      { ORDERS_SUBGRAPH_URL: `${fake.url}/graphql` },
      { logger: capturingLogger(lines) },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await fake.close();
  });

  const answerWith = (message: string) =>
    fake.handle((_req, res) =>
      json(res, 200, {
        data: null,
        errors: [{ message, path: ['orderHistory'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      }),
    );
  const history = (requestId: string) =>
    gateway.query('{ orderHistory { count } }', { user: 'learner1', headers: { 'x-request-id': requestId } });

  it('is masked and logged once with the request id; one the subgraph already masked is not logged again', async () => {
    answerWith('connect ECONNREFUSED db-7:5432 user=orders password=hunter2');
    const result = await history('leaky-subgraph');

    expect(result.body.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['orderHistory'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'orders' },
      },
    ]);
    expect(JSON.stringify(result.body)).not.toContain('hunter2');
    const logged = masked(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ component: 'gateway', requestId: 'leaky-subgraph' });
    expect(JSON.stringify(logged[0])).toContain('hunter2');

    // Our subgraphs answer the fixed message and log the original themselves, under the same id.
    lines.length = 0;
    answerWith('Internal server error');
    const again = await history('masked-subgraph');
    expect(again.body.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(masked(lines)).toEqual([]);
  });
});

describe('an APQ registration whose hash is not the query’s', () => {
  it('answers 400 PERSISTED_QUERY_HASH_MISMATCH with Apollo’s text, not an internal error', async () => {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${stack.token('learner1')}` },
      body: JSON.stringify({
        query: '{ orderHistory { count } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'provided sha does not match query',
          extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
        },
      ],
    });
    expect(stack.simulators.legacy!.stats().total).toBe(0);
    expect(masked(lines)).toEqual([]);
  });
});
