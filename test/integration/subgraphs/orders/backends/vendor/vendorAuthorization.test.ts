import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// The vendor API is called with a service credential that can read every customer's orders, so the
// adapter alone keeps learners apart. Every entry point is tried, in every mode (single orders are
// routed by number whatever the mode).
const seed = createSeed();
const vendorOrderOf = (username: string) => seed.vendorOrders!.find((o) => o.username === username)!.number;
const learner3Order = vendorOrderOf('learner3');
const learner1Order = vendorOrderOf('learner1');

const ORDER = `query One($number: ID!) { order(number: $number) { number total { amount } } }`;
const HISTORY = `query H($username: String) { orderHistory(username: $username, pageSize: 100) { count orders { number } } }`;
const ENTITIES = `query E($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Order { number total { amount } } }
}`;

describe.each(['legacy', 'vendor', 'merged'])('vendor orders are private in %s mode', (mode) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ORDERS_BACKEND: mode });
  });
  afterAll(() => stack.stop());

  const entities = (user: string | undefined, number: string) =>
    stack.query<{ _entities: unknown[] }>(ENTITIES, {
      user,
      url: `${stack.ordersUrl}/graphql`,
      headers: stack.subgraphHeaders,
      variables: { representations: [{ __typename: 'Order', number }] },
    });

  it('order(number): null for someone else’s order, exactly as for a missing one', async () => {
    const other = await stack.query(ORDER, { user: 'learner1', variables: { number: learner3Order } });
    const missing = await stack.query(ORDER, { user: 'learner1', variables: { number: '2U-999999' } });
    expect(other.body).toEqual({ data: { order: null } });
    expect(missing.body).toEqual(other.body);
  });

  it('order(number): the owner and staff get it', async () => {
    for (const options of [{ user: 'learner3' }, { user: 'staff', staff: true }]) {
      const result = await stack.query<{ order: { number: string } }>(ORDER, {
        ...options,
        variables: { number: learner3Order },
      });
      expect(result.body.data?.order?.number).toBe(learner3Order);
    }
  });

  it('order(number): a learner without any vendor customer sees no vendor order', async () => {
    const result = await stack.query(ORDER, { user: 'learner2', variables: { number: learner1Order } });
    expect(result.body).toEqual({ data: { order: null } });
  });

  it('order(number): a number cannot smuggle a predicate into the vendor query', async () => {
    const number = `${learner3Order}") or customerId is defined or orderNumber in ("x`;
    const result = await stack.query(ORDER, { user: 'learner1', variables: { number } });
    expect(result.body).toEqual({ data: { order: null } });
  });

  it('_entities straight at the orders subgraph: null for someone else’s order, the order for its owner', async () => {
    expect((await entities('learner1', learner3Order)).body).toEqual({ data: { _entities: [null] } });
    const own = await entities('learner3', learner3Order);
    expect(own.body.data?._entities).toEqual([expect.objectContaining({ number: learner3Order })]);
    const anonymous = await entities(undefined, learner3Order);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('orderHistory(username): FORBIDDEN for another learner, allowed for staff', async () => {
    const denied = await stack.query(HISTORY, { user: 'learner1', variables: { username: 'learner3' } });
    expect(denied.body.data).toBeNull();
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const staff = await stack.query<{ orderHistory: { count: number } }>(HISTORY, {
      user: 'staff',
      staff: true,
      variables: { username: 'learner3' },
    });
    expect(staff.body.data?.orderHistory.count).toBeGreaterThan(0);
  });

  it('orderHistory: a learner’s own list holds only their own orders', async () => {
    const own = await stack.query<{ orderHistory: { orders: { number: string }[] } }>(HISTORY, {
      user: 'learner1',
    });
    const mine = new Set(
      [...seed.orders, ...seed.vendorOrders!].filter((o) => o.username === 'learner1').map((o) => o.number),
    );
    const numbers = own.body.data!.orderHistory.orders.map((o) => o.number);
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((n) => !mine.has(n))).toEqual([]);
  });
});
