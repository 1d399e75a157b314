import { randomUUID } from 'node:crypto';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// Fulfilment goes as Switchyard's service user, whose LMS token the orders subgraph caches for up to
// an hour. The LMS rotates its signing key mid-run and the legacy API stops trusting the old one: the
// cached token is refused (401) although it has not expired. Over real HTTP: the stack on simulators,
// with an LMS token endpoint whose clock the test sets, so the first token is issued "before" the
// rotation without waiting for one.
const FULFILL = `mutation Fulfill($number: ID!) { fulfillOrder(number: $number) { number status } }`;
const openOrders = createSeed()
  .orders.filter((o) => o.status === 'Open')
  .map((o) => o.number);

let lmsClock: number | undefined;
let lms: LmsOAuthSimulator;
let stack: TestStack;

beforeAll(async () => {
  lms = await createLmsOAuthSimulator({ jwt: parseJwtEnv({}), now: () => lmsClock ?? Date.now() });
  stack = await startTestStack({ LMS_OAUTH2_URL: `${lms.url}/oauth2` });
});
afterAll(async () => {
  await stack.stop();
  await lms.close();
});

const legacy = () => stack.simulators.legacy!;
const fulfil = (number: string) =>
  stack.query<{ fulfillOrder: { number: string; status: string } }>(FULFILL, {
    user: 'support',
    staff: true,
    variables: { number },
    headers: { 'idempotency-key': randomUUID() },
  });
const fulfilCalls = () => legacy().stats().byRoute['orders.fulfill'] ?? 0;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The service token cached before a rotation: issued ten minutes ago, valid for another fifty. */
async function cacheTokenIssuedBeforeRotation(number: string): Promise<void> {
  lmsClock = Date.now() - 10 * 60_000;
  const first = await fulfil(number);
  expect(first.body.data).toEqual({ fulfillOrder: { number, status: 'COMPLETE' } });
}

it('renews the service token refused after a key rotation: the fulfil succeeds on the retry, one write', async () => {
  await cacheTokenIssuedBeforeRotation(openOrders[0]!);
  const tokens = lms.tokensIssued();
  // The LMS signs with its new key from a minute ago; the legacy API trusts only that one now.
  legacy().refuseTokensIssuedBefore(nowSeconds() - 60);
  lmsClock = undefined;
  const before = { fulfillments: legacy().writes.executions.fulfillments, calls: fulfilCalls() };

  const number = openOrders[1]!;
  const result = await fulfil(number);

  expect(result.body).toEqual({ data: { fulfillOrder: { number, status: 'COMPLETE' } } });
  // Two PUTs reached the API: the refused one (authentication fails before any view runs) and the
  // retry. Exactly one of them fulfilled the order.
  expect(fulfilCalls() - before.calls).toBe(2);
  expect(legacy().writes.executions.fulfillments - before.fulfillments).toBe(1);
  expect(lms.tokensIssued() - tokens).toBe(1);

  // The fresh token is cached: the next fulfilment needs no renewal.
  const next = await fulfil(openOrders[2]!);
  expect(next.body.data).toEqual({ fulfillOrder: { number: openOrders[2]!, status: 'COMPLETE' } });
  expect(fulfilCalls() - before.calls).toBe(3);
  expect(lms.tokensIssued() - tokens).toBe(1);
  legacy().refuseTokensIssuedBefore(null);
});

it('renews once, never in a loop: a fresh token refused too is UNAUTHENTICATED, nothing fulfilled', async () => {
  const tokens = lms.tokensIssued();
  // Every token issued so far is refused, and the LMS still signs as before the rotation (its clock
  // in the past): the renewed token is refused like the cached one.
  legacy().refuseTokensIssuedBefore(nowSeconds() + 1);
  lmsClock = Date.now() - 10 * 60_000;
  const before = { fulfillments: legacy().writes.executions.fulfillments, calls: fulfilCalls() };

  const result = await fulfil(openOrders[3]!);

  expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  expect(fulfilCalls() - before.calls).toBe(2);
  expect(lms.tokensIssued() - tokens).toBe(1);
  expect(legacy().writes.executions.fulfillments).toBe(before.fulfillments);
  legacy().refuseTokensIssuedBefore(null);
  lmsClock = undefined;
});
