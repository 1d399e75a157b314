import { createSeed } from '../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../helpers/startTestStack';

// Several orders asked for in one request, as fields or as federation `_entities` representations,
// are fetched in one batch: one orders query per system, not one per number (the by-number loader).
const seed = createSeed();
const vendorNumbers = (seed.vendorOrders ?? [])
  .filter((o) => o.username === 'learner3')
  .slice(0, 4)
  .map((o) => o.number);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ ORDERS_BACKEND: 'vendor' });
});
afterAll(() => stack.stop());

const vendorQueries = () => stack.simulators.vendor!.stats().byRoute['orders.query'] ?? 0;

it('resolves four order(number:) fields with one vendor orders query', async () => {
  const fields = vendorNumbers.map((n, i) => `o${i}: order(number: "${n}") { number }`).join('\n');
  // The customer lookup happens once per request whatever is asked; only the orders query is counted.
  const before = vendorQueries();
  const answer = await stack.query<any>(`{ ${fields} }`, { user: 'learner3' });
  expect(answer.body.errors).toBeUndefined();
  expect(vendorNumbers.map((_, i) => answer.body.data[`o${i}`]?.number)).toEqual(vendorNumbers);
  expect(vendorQueries() - before).toBe(1);
});

it('resolves four _entities representations sent to the subgraph with one vendor orders query', async () => {
  const before = vendorQueries();
  const response = await fetch(`${stack.ordersUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `JWT ${stack.token('learner3')}`,
      ...stack.subgraphHeaders,
    },
    body: JSON.stringify({
      query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Order { number } } }',
      variables: { r: vendorNumbers.map((number) => ({ __typename: 'Order', number })) },
    }),
  });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  expect(body.data._entities.map((e: any) => e.number)).toEqual(vendorNumbers);
  expect(vendorQueries() - before).toBe(1);
});
