import { signToken } from '../../../../../../platform/auth/signToken';
import { parseJwtEnv } from '../../../../../../platform/config/jwtEnv';
import type { LmsAccounts } from '../../../../../../simulators/lms/lmsAccountRoutes';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../../../../../simulators/seed/createSeed';
import { lmsUserIdOf, seedLmsAccounts } from '../../../../../../simulators/seed/lmsUserIdOf';
import { startTestStack, type TestStack } from '../../../../../helpers/startTestStack';

// Staff reading a learner's vendor history: the customer is the learner's, found by the learner's LMS
// user id as the LMS reports it (GET /api/user/v1/accounts/{username}, as the service user) — never
// by the staff member's own `user_id`, and not by a username alone. Over real HTTP, through the
// gateway, on the vendor simulator and an LMS simulator whose users the test edits.
const seed = createSeed();
const jwt = parseJwtEnv({});
const HISTORY = `query H($username: String) { orderHistory(username: $username, pageSize: 100) { count orders { number } } }`;
const numbersOf = (username: string) =>
  seed
    .vendorOrders!.filter((o) => o.username === username)
    .map((o) => o.number)
    .sort();

let accounts: LmsAccounts;
let lms: LmsOAuthSimulator;
let stack: TestStack;

beforeAll(async () => {
  accounts = seedLmsAccounts(seed);
  lms = await createLmsOAuthSimulator({ jwt, accounts });
  stack = await startTestStack({ ORDERS_BACKEND: 'vendor', LMS_OAUTH2_URL: `${lms.url}/oauth2` });
});
afterAll(async () => {
  await stack.stop();
  await lms.close();
});
beforeEach(() => {
  accounts.clear();
  for (const [username, id] of seedLmsAccounts(seed)) accounts.set(username, id);
});

async function history(username: string, staffUserId?: number) {
  const token = signToken('support', jwt, {
    staff: true,
    ...(staffUserId !== undefined ? { userId: staffUserId } : {}),
  });
  const result = await stack.query<{ orderHistory: { count: number; orders: { number: string }[] } }>(
    HISTORY,
    { authorization: `JWT ${token}`, variables: { username } },
  );
  expect(result.body.errors).toBeUndefined();
  const page = result.body.data!.orderHistory;
  return { count: page.count, numbers: page.orders.map((o) => o.number).sort() };
}

const accountReads = () => lms.stats().byRoute['accounts.detail'] ?? 0;

it('a staff token whose user_id is another vendor customer’s sees exactly the learner’s orders', async () => {
  const learner3 = numbersOf('learner3');
  expect(learner3.length).toBeGreaterThan(0);
  // learner1's LMS user id is a vendor customer with orders of its own.
  expect(numbersOf('learner1').length).toBeGreaterThan(0);
  const before = accountReads();
  expect(await history('learner3', lmsUserIdOf('learner1'))).toEqual({
    count: learner3.length,
    numbers: learner3,
  });
  // The learner's id came from the LMS, asked once.
  expect(accountReads() - before).toBe(1);
});

it('a staff token whose user_id is no vendor customer’s (or has none) sees exactly the learner’s orders', async () => {
  const learner3 = numbersOf('learner3');
  const expected = { count: learner3.length, numbers: learner3 };
  expect(await history('learner3', 424_242)).toEqual(expected);
  expect(await history('learner3')).toEqual(expected);
});

it('finds a renamed learner by the id the LMS gives the new name, not by the customer’s old name', async () => {
  // learner1 is now "ada" in the LMS, same user id; the vendor customer still says learner1.
  accounts.set('ada', accounts.get('learner1')!);
  accounts.delete('learner1');
  const learner1 = numbersOf('learner1');
  expect(await history('ada', lmsUserIdOf('learner3'))).toEqual({
    count: learner1.length,
    numbers: learner1,
  });
  // The old name is no LMS user any more: the customer still carrying it is not shown under it.
  expect(await history('learner1')).toEqual({ count: 0, numbers: [] });
});

it('does not hand a retired learner’s orders to the next owner of the username', async () => {
  // learner3 retired; the name is someone else's now, with another LMS user id. The vendor customer
  // still named learner3 carries the old id, so it is not the new learner3's.
  accounts.set('learner3', 777_777);
  expect(await history('learner3')).toEqual({ count: 0, numbers: [] });
});

it('keeps a learner’s own history on their own token’s user_id, without asking the LMS', async () => {
  const learner3 = numbersOf('learner3');
  const before = accountReads();
  const token = signToken('learner3', jwt, { userId: lmsUserIdOf('learner3') });
  const result = await stack.query<{ orderHistory: { count: number } }>(HISTORY, {
    authorization: `JWT ${token}`,
    variables: { username: 'learner3' },
  });
  expect(result.body.data?.orderHistory.count).toBe(learner3.length);
  expect(accountReads()).toBe(before);
});
