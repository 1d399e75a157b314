import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { parseJwtEnv } from '../../../../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../../../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../../../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../../../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../../../../simulators/lms/createLmsOAuthSimulator';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../../../../simulators/vendor/createVendorSimulator';
import { parseOrdersConfig } from '../../../../../subgraphs/orders/config/ordersConfig';
import { refundJobId } from '../../../../../subgraphs/orders/queue/RefundJob';
import {
  startRefundWorker,
  type RunningRefundWorker,
} from '../../../../../subgraphs/orders/worker/startRefundWorker';
import {
  RULE_CASES,
  RULE_LEARNER,
  refundRuleSeed,
  ruleOrder,
  type RuleCase,
} from '../../../../helpers/refundRuleSeed';
import { startTestStack, type TestStack } from '../../../../helpers/startTestStack';

// The LMS's refund rule (CourseEnrollment.refundable()) at its default 14-day window, over real HTTP:
// orders from the legacy and vendor simulators, course runs from discovery, certificates from the LMS.
// A refusal is REFUND_NOT_ELIGIBLE with its reason, and nothing is written, queued or kept.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const jwt = parseJwtEnv({});
const seed = refundRuleSeed();
const REFUND = `mutation R($input: RequestRefundInput!) { requestRefund(input: $input) { id status refundIds } }`;
const STATUS = `query S($id: ID!) { refundRequest(id: $id) { id status lastError } }`;

let legacy: LegacyEcommerceSimulator;
let vendor: VendorSimulator;
let discovery: Simulator;
let lms: LmsOAuthSimulator;
let stack: TestStack;
const lines: Record<string, unknown>[] = [];
const capture = (): Logger =>
  pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  vendor = await createVendorSimulator({ orders: seed.vendorOrders ?? [], ...VENDOR_DEV_PROJECT });
  discovery = await createDiscoverySimulator({ seed, jwt, throttleRate: LOAD_TEST_THROTTLE_RATE });
  lms = await createLmsOAuthSimulator({ jwt });
  // The learner passed this course: the LMS generated their certificate.
  lms.certificates.issue({
    username: RULE_LEARNER,
    courseId: RULE_CASES.certified,
    status: 'downloadable',
    certificateType: 'verified',
  });
  stack = await startTestStack(
    {
      LEGACY_ECOMMERCE_URL: legacy.url,
      DISCOVERY_URL: discovery.url,
      LMS_OAUTH2_URL: `${lms.url}/oauth2`,
      VENDOR_API_URL: vendor.url,
      VENDOR_AUTH_URL: vendor.url,
      VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
      REFUND_WINDOW_DAYS: '14',
      REDIS_URL,
      REFUND_QUEUE_PREFIX: prefix,
    },
    { logger: (component) => (component === 'orders-subgraph' ? capture() : pino({ level: 'silent' })) },
  );
});
afterAll(async () => {
  await stack.stop();
  await Promise.all([legacy.close(), vendor.close(), discovery.close(), lms.close()]);
});

type Backend = 'legacy' | 'vendor';
const refund = (input: Record<string, unknown>, key = randomUUID(), user = RULE_LEARNER, staff = false) =>
  stack.query<any>(REFUND, { user, staff, variables: { input }, headers: { 'idempotency-key': key } });
/** Upstream writes made under this key: legacy refund calls, vendor order updates. */
const writesUnder = (backend: Backend, key: string) =>
  backend === 'legacy'
    ? (legacy.writes.refundCallsByKey.get(key) ?? 0)
    : vendor.writes.log.filter((update) => update.idempotencyKey === key).length;

const refusals: [RuleCase, string][] = [
  ['windowClosed', 'REFUND_WINDOW_CLOSED'],
  ['certified', 'CERTIFICATE_ISSUED'],
  ['noVerified', 'NO_VERIFIED_MODE'],
];

describe.each<Backend>(['legacy', 'vendor'])('%s orders', (backend) => {
  it.each(
    refusals.flatMap(([which, reason]) =>
      (['IMMEDIATE', 'DEFERRED'] as const).map((d) => [which, reason, d] as const),
    ),
  )('%s: REFUND_NOT_ELIGIBLE %s (%s), 0 writes, no job, no record', async (which, reason, delivery) => {
    const key = randomUUID();
    const orderNumber = ruleOrder(backend, which);
    const answer = await refund({ orderNumber, delivery }, key);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: 'REFUND_NOT_ELIGIBLE',
      reason,
      courseRunKey: RULE_CASES[which],
      retryable: false,
    });
    expect(writesUnder(backend, key)).toBe(0);
    // No job: the id the request would have had names nothing.
    const id = refundJobId(RULE_LEARNER, key);
    const status = await stack.query<any>(STATUS, { user: RULE_LEARNER, variables: { id } });
    expect(status.body.data.refundRequest).toBeNull();
    // No record under the key: the same key with other arguments is a fresh request, not a mismatch.
    const again = await refund({ orderNumber, delivery, reason: 'other arguments' }, key);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'REFUND_NOT_ELIGIBLE', reason });
  });

  it('refunds an order inside the rule, once', async () => {
    const key = randomUUID();
    const answer = await refund({ orderNumber: ruleOrder(backend, 'open') }, key);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.requestRefund.refundIds.length).toBeGreaterThan(0);
    expect(writesUnder(backend, key)).toBe(1);
  });

  it('lets staff override the rule, and says so in the audit line; a learner asking is FORBIDDEN', async () => {
    const orderNumber = ruleOrder(backend, 'staff');
    const learnerKey = randomUUID();
    const learner = await refund({ orderNumber, overrideEligibility: true }, learnerKey);
    expect(learner.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(writesUnder(backend, learnerKey)).toBe(0);
    const refused = await refund({ orderNumber }, randomUUID(), 'support', true);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ reason: 'REFUND_WINDOW_CLOSED' });
    const key = randomUUID();
    const answer = await refund({ orderNumber, overrideEligibility: true }, key, 'support', true);
    expect(answer.body.errors).toBeUndefined();
    expect(writesUnder(backend, key)).toBe(1);
    expect(lines.filter((l) => l.idempotencyKey === key && l.event === 'eligibility overridden')).toEqual([
      expect.objectContaining({ user: 'support', orderNumber, courseRunKeys: [RULE_CASES.staff] }),
    ]);
  });
});

describe('a deferred refund', () => {
  let worker: RunningRefundWorker | null = null;
  afterAll(async () => worker?.stop());

  it('is checked again by the worker: a certificate issued since the request refuses it, 0 writes', async () => {
    const key = randomUUID();
    const accepted = await refund(
      { orderNumber: ruleOrder('legacy', 'certifiedLater'), delivery: 'DEFERRED' },
      key,
    );
    expect(accepted.body.data.requestRefund.status).toBe('PENDING');
    lms.certificates.issue({
      username: RULE_LEARNER,
      courseId: RULE_CASES.certifiedLater,
      status: 'generating',
      certificateType: 'verified',
    });
    worker = startRefundWorker(parseOrdersConfig(stack.upstreamEnv), REDIS_URL, pino({ level: 'silent' }));
    const id = accepted.body.data.requestRefund.id as string;
    let request: any = null;
    for (let i = 0; i < 400 && request?.status !== 'FAILED'; i++) {
      request = (await stack.query<any>(STATUS, { user: RULE_LEARNER, variables: { id } })).body.data
        .refundRequest;
      if (request?.status !== 'FAILED') await new Promise((r) => setTimeout(r, 50));
    }
    expect(request).toMatchObject({
      status: 'FAILED',
      lastError: expect.stringContaining('REFUND_NOT_ELIGIBLE'),
    });
    expect(writesUnder('legacy', key)).toBe(0);
  });
});
