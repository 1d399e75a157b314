import { createSeed, type Seed } from '../../simulators/seed/createSeed';
import type { SeedCourseRun } from '../../simulators/seed/seedCourseRuns';
import type { SeedOrder } from '../../simulators/seed/SeedOrder';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The learner whose orders each meet one case of the refund rule. */
export const RULE_LEARNER = 'refunder1';

/** One course run per case of the rule, each bought in one legacy and one vendor order. */
export const RULE_CASES = {
  /** Starts in a month, bought today, a verified seat: refundable. */
  open: 'course-v1:SwitchyardX+Open+1T2027',
  /** Started 60 days ago, bought 30 days ago: the 14-day window closed 16 days ago. */
  windowClosed: 'course-v1:SwitchyardX+Started+1T2026',
  /** Refundable by dates, but the learner's certificate is `downloadable` (issued by the test). */
  certified: 'course-v1:SwitchyardX+Certified+1T2027',
  /** Refundable by dates, but only a professional seat: no verified mode. */
  noVerified: 'course-v1:SwitchyardX+ProOnly+1T2027',
  /** Refundable when asked; the test issues a certificate before the deferred refund is delivered. */
  certifiedLater: 'course-v1:SwitchyardX+Later+1T2027',
  /** Refundable; staff refund it with the override (no refusal to override: the line says so). */
  staff: 'course-v1:SwitchyardX+Staff+1T2027',
} as const;
export type RuleCase = keyof typeof RULE_CASES;

/** The legacy and vendor order number of a case. */
export const ruleOrder = (backend: 'legacy' | 'vendor', which: RuleCase): string =>
  `${backend === 'legacy' ? 'EDX-' : '2U-'}${990001 + Object.keys(RULE_CASES).indexOf(which)}`;

/**
 * The default world plus RULE_LEARNER's orders, dated from `now` (the stack runs on the real clock):
 * each case once in each system.
 */
export function refundRuleSeed(now = Date.now()): Seed {
  const seed = createSeed();
  const run = (key: string, startMs: number, seatTypes: string[]): SeedCourseRun => ({
    key,
    course: key.split(':')[1]!.split('+').slice(0, 2).join('+'),
    org: 'SwitchyardX',
    title: `Refund rule: ${key}`,
    start: iso(startMs),
    end: iso(startMs + 90 * DAY),
    pacing: 'self_paced',
    restrictionType: null,
    runType: 'verified-audit',
    seatTypes,
  });
  seed.courseRuns.push(
    run(RULE_CASES.open, now + 30 * DAY, ['audit', 'verified']),
    run(RULE_CASES.windowClosed, now - 60 * DAY, ['audit', 'verified']),
    run(RULE_CASES.certified, now + 30 * DAY, ['audit', 'verified']),
    run(RULE_CASES.noVerified, now + 30 * DAY, ['professional']),
    run(RULE_CASES.certifiedLater, now + 30 * DAY, ['audit', 'verified']),
    run(RULE_CASES.staff, now - 60 * DAY, ['audit', 'verified']),
  );
  const order = (backend: 'legacy' | 'vendor', which: RuleCase): SeedOrder => ({
    number: ruleOrder(backend, which),
    username: RULE_LEARNER,
    email: `${RULE_LEARNER}@example.org`,
    placedAt: iso(which === 'windowClosed' || which === 'staff' ? now - 30 * DAY : now - 3_600_000),
    status: 'Complete',
    currency: 'USD',
    lines: [
      {
        productId: 9000 + Object.keys(RULE_CASES).indexOf(which),
        title: `Seat in ${RULE_CASES[which]}`,
        description: `Seat in ${RULE_CASES[which]}`,
        quantity: 1,
        unitPriceMinor: 14900,
        courseKey: RULE_CASES[which],
        certificateType: which === 'noVerified' ? 'professional' : 'verified',
        organization: 'SwitchyardX',
        status: 'Complete',
      },
    ],
    discountMinor: 0,
    voucherCode: null,
    paymentProcessor: 'cybersource',
    paymentMethod: 'Visa 1111',
  });
  for (const which of Object.keys(RULE_CASES) as RuleCase[]) {
    seed.orders.push(order('legacy', which));
    seed.vendorOrders!.push(order('vendor', which));
  }
  return seed;
}
