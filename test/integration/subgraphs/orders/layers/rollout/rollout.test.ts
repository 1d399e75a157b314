import { isInRollout } from '../../../../../../subgraphs/orders/layers/rollout/rolloutBucket';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

const HISTORY = `query H($username: String) {
  orderHistory(username: $username, pageSize: 100) { count orders { number } }
}`;
const HEADER = 'x-switchyard-orders-backend';

interface History {
  orderHistory: { count: number; orders: { number: string }[] };
}

// Half the users move to the vendor; which half is fixed by the hash of the username.
const PERCENT = 50;
const [moved, stayed] = ['learner1', 'learner3'];

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ ORDERS_ROLLOUT_BACKEND: 'vendor', ORDERS_ROLLOUT_PERCENT: String(PERCENT) });
});
afterAll(() => stack.stop());

async function history(options: { user: string; staff?: boolean; of?: string; backend?: string }) {
  const result = await stack.query<History>(HISTORY, {
    user: options.user,
    staff: options.staff,
    variables: { username: options.of ?? null },
    headers: options.backend === undefined ? {} : { [HEADER]: options.backend },
  });
  return result.body;
}
const systemOf = (body: { data?: History | null }) => {
  const prefixes = new Set(body.data!.orderHistory.orders.map((o) => o.number.split('-')[0]));
  return [...prefixes].sort().join('+');
};

describe('ORDERS_ROLLOUT_* through the gateway', () => {
  it('uses two learners on either side of the 50 % line', () => {
    expect(isInRollout(moved, PERCENT * 100)).toBe(true);
    expect(isInRollout(stayed, PERCENT * 100)).toBe(false);
  });

  it('serves a moved learner from the vendor and the others from legacy, the same way every time', async () => {
    for (let i = 0; i < 3; i++) {
      const [mine, theirs] = [await history({ user: moved }), await history({ user: stayed })];
      expect(mine.data!.orderHistory.count).toBe(12);
      expect(systemOf(mine)).toBe('2U');
      expect(theirs.data!.orderHistory.count).toBe(200);
      expect(systemOf(theirs)).toBe('EDX');
    }
  });

  it('shows staff what the learner sees when they name no backend', async () => {
    expect(systemOf(await history({ user: 'support', staff: true, of: moved }))).toBe('2U');
    expect(systemOf(await history({ user: 'support', staff: true, of: stayed }))).toBe('EDX');
  });

  it('lets staff force any mode with the header', async () => {
    const forced = await history({ user: 'support', staff: true, of: stayed, backend: 'vendor' });
    expect(forced.data!.orderHistory.count).toBe(40);
    expect(systemOf(forced)).toBe('2U');
    expect(systemOf(await history({ user: 'support', staff: true, of: moved, backend: 'legacy' }))).toBe(
      'EDX',
    );
    const merged = await history({ user: 'support', staff: true, of: moved, backend: 'merged' });
    expect(merged.data!.orderHistory.count).toBe(45 + 12);
    expect(systemOf(merged)).toBe('2U+EDX');
  });

  it('ignores the header from learners, whatever it says', async () => {
    expect(systemOf(await history({ user: stayed, backend: 'vendor' }))).toBe('EDX');
    expect(systemOf(await history({ user: moved, backend: 'legacy' }))).toBe('2U');
    const nonsense = await history({ user: moved, backend: 'nonsense' });
    expect(nonsense.errors).toBeUndefined();
  });

  it('answers BAD_USER_INPUT to staff for a value that names no mode, with no upstream call', async () => {
    const calls = () => stack.simulators.legacy!.stats().total + stack.simulators.vendor!.stats().total;
    const before = calls();
    const body = await history({ user: 'support', staff: true, of: moved, backend: 'commercetools' });
    expect(calls()).toBe(before);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      message: `${HEADER} must be one of: legacy, vendor, merged`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
