import { randomUUID } from 'node:crypto';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';
import { spawnComponent, type Component } from '../../../../helpers/spawnComponent';
import { courseRunsOf, refundableOrders } from '../../../../helpers/refundableOrders';
import { startTestStack, upstreamVarsOf, type TestStack } from '../../../../helpers/startTestStack';

// The refund worker delivers as Switchyard's service user, with an LMS token it caches for up to an
// hour. The LMS rotates its signing key between two deliveries and the legacy API stops trusting the
// old one: the worker's cached token is refused (401). The worker runs as its own process against
// the stack's simulators; the LMS token endpoint's clock is the test's, so the first token is issued
// "before" the rotation without waiting.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const [first, second] = refundableOrders('learner7').map((o) => o.number);
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { status attempts refundIds lastError } }`;

let lmsClock: number | undefined;
let lms: LmsOAuthSimulator;
let stack: TestStack;
let worker: Component | undefined;

beforeAll(async () => {
  lms = await createLmsOAuthSimulator({ jwt: parseJwtEnv({}), now: () => lmsClock ?? Date.now() });
  stack = await startTestStack({
    LMS_OAUTH2_URL: `${lms.url}/oauth2`,
    REDIS_URL,
    REFUND_QUEUE_PREFIX: prefix,
  });
});
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await stack.stop();
  await lms.close();
});

async function deferRefund(orderNumber: string, key: string): Promise<string> {
  const queued = await stack.query<{ requestRefund: { id: string; status: string } }>(REFUND, {
    user: 'learner7',
    variables: { input: { orderNumber, delivery: 'DEFERRED' } },
    headers: { 'idempotency-key': key },
  });
  expect(queued.body.data?.requestRefund.status).toBe('PENDING');
  return queued.body.data!.requestRefund.id;
}

async function settled(id: string): Promise<{ status: string; attempts: number; lastError: unknown }> {
  let last: any;
  for (let i = 0; i < 200; i++) {
    last = (await stack.query<any>(STATUS, { user: 'learner7', variables: { id } })).body.data.refundRequest;
    if (last.status !== 'PENDING') return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

it('renews the worker’s service token refused after a key rotation: delivered on the first attempt, once', async () => {
  const legacy = stack.simulators.legacy!;
  // The worker's first token comes from before the rotation: issued ten minutes ago, valid for fifty more.
  lmsClock = Date.now() - 10 * 60_000;
  const firstKey = randomUUID();
  const firstId = await deferRefund(first!, firstKey);
  worker = spawnComponent('subgraphs/orders/worker/main.js', {
    ...upstreamVarsOf(stack),
    REDIS_URL,
    REFUND_QUEUE_PREFIX: prefix,
    REFUND_WORKER_PORT: '0',
    // The seed's orders are years old: the refund rule's window must not be what this test is about.
    REFUND_WINDOW_DAYS: '36500',
  });
  await worker.waitFor('refund worker started');
  expect(await settled(firstId)).toMatchObject({ status: 'OPEN', attempts: 1 });
  const tokens = lms.tokensIssued();

  // The LMS signs with its new key from a minute ago; the legacy API trusts only that one now.
  legacy.refuseTokensIssuedBefore(Math.floor(Date.now() / 1000) - 60);
  lmsClock = undefined;
  const key = randomUUID();
  const id = await deferRefund(second!, key);
  const delivered = await settled(id);

  // Delivered by the attempt that met the 401, not by the queue retrying it later.
  expect({
    ...delivered,
    logs: delivered.status === 'OPEN' ? [] : worker.logs.slice(-10),
  }).toMatchObject({
    status: 'OPEN',
    attempts: 1,
    lastError: null,
    logs: [],
  });
  expect(lms.tokensIssued() - tokens).toBe(1);
  // One upstream write per course of the order, each applied once (the refused calls wrote nothing).
  const courses = courseRunsOf(second!);
  expect(legacy.writes.refundCallsByKey.get(key)).toBe(courses.length);
  expect(legacy.writes.refunds.filter((r) => r.idempotencyKey === key)).toHaveLength(courses.length);
  expect(worker.logs.filter((line) => line.event === 'service token refused, renewing')).toHaveLength(1);
  legacy.refuseTokensIssuedBefore(null);
}, 60_000);
