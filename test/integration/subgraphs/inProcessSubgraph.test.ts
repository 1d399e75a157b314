import { signToken } from '../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { silentLogger } from '../../../platform/createLogger';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';
import { createOrdersSubgraph } from '../../../subgraphs/orders/createOrdersSubgraph';
import type { SubgraphServer } from '../../../subgraphs/createSubgraphServer';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// A subgraph executed in the gateway's process (colocated/) trusts nothing the HTTP server
// would check: the token is verified again from the headers it is handed, and the query limits and
// error formatting are the same pipeline's.

const jwt = parseJwtEnv({});
const HISTORY = '{ orderHistory(page: 1, pageSize: 5) { count orders { number } } }';
let stack: TestStack;
let orders: SubgraphServer;
beforeAll(async () => {
  stack = await startTestStack();
  orders = await createOrdersSubgraph(parseOrdersConfig({ ...stack.upstreamEnv, SUBGRAPH_MAX_DEPTH: '4' }), {
    logger: silentLogger(),
  });
});
afterAll(async () => {
  await orders?.stop();
  await stack?.stop();
});

const legacyCalls = () => stack.simulators.legacy!.stats().total;

it("answers the verified user's own history", async () => {
  const answer = await orders.execute(
    { query: HISTORY },
    { authorization: `JWT ${signToken('learner1', jwt)}`, 'x-request-id': 'r-1' },
  );
  expect(answer.body.errors).toBeUndefined();
  expect((answer.body.data as any).orderHistory.count).toBeGreaterThan(0);
});

it.each([
  ['a forged token', 'JWT not-a-token'],
  [
    'a token signed with another secret',
    `JWT ${signToken('learner1', parseJwtEnv({ JWT_SECRET: 'x'.repeat(40) }))}`,
  ],
])('refuses %s with UNAUTHENTICATED and no upstream call', async (_label, authorization) => {
  const before = legacyCalls();
  const answer = await orders.execute({ query: HISTORY }, { authorization });
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([
    expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
  ]);
  expect(legacyCalls()).toBe(before);
});

it('serves nobody without a token', async () => {
  const answer = await orders.execute({ query: HISTORY }, {});
  expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
});

it("applies the subgraph's own query limits in process", async () => {
  const deep = '{ orderHistory(page: 1) { orders { lines { courseRun { title } } } } }';
  const before = legacyCalls();
  const answer = await orders.execute(
    { query: deep },
    { authorization: `JWT ${signToken('learner1', jwt)}` },
  );
  expect(answer.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  expect(legacyCalls()).toBe(before);
});
