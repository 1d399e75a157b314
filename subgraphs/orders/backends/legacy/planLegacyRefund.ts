import { z } from 'zod';
import { ErrorCode } from '../../../../platform/ErrorCode';
import { codedError } from '../../../../platform/codedError';
import { parseBody } from '../../../../upstream/parseBody';
import type { RefundInput } from '../../domain/Refund';
import type { WriteContext } from '../../port/OrderWrites';
import { courseKeysOf, freeCourses } from './courseLines';
import { entitlementCourseUuidsOf, freeEntitlements } from './entitlementLines';
import type { LegacyWriteClient } from './LegacyWriteClient';
import { readRefundableOrder, refundableOrderSchema } from './readRefundableOrder';

const userOrderPageSchema = z.object({
  next: z.string().nullable().optional(),
  results: z.array(refundableOrderSchema.omit({ user: true })),
});

/** Pages of the owner's history read to find other orders holding the same course (page_size 100). */
const MAX_HISTORY_PAGES = 5;
const HISTORY_PAGE_SIZE = 100;

/** What one legacy refund posts: course runs (`course_id`) and entitlement lines, for whom; `free` cost 0. */
export interface LegacyRefundPlan {
  courses: string[];
  entitlements: string[];
  owner: string;
  free: Set<string>;
}

/** Which courses to refund for whom, refusing anything that would touch an order not named. */
export async function planLegacyRefund(
  client: LegacyWriteClient,
  input: RefundInput,
  context: WriteContext,
): Promise<LegacyRefundPlan> {
  const order = await readRefundableOrder(client, input.orderNumber, context);
  const owner = order.user.username;
  const held = courseKeysOf(order);
  const heldEntitlements = entitlementCourseUuidsOf(order);
  // Only Complete orders are refundable upstream; asking anyway would refund the course elsewhere.
  // (The entitlement route itself checks no status; a Complete order is still the only one refunded.)
  if (order.status !== 'Complete' || held.length + heldEntitlements.length === 0)
    throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has nothing left to refund');
  let courses = held;
  let entitlements = heldEntitlements;
  if (input.courseRunKey !== null) {
    if (!held.includes(input.courseRunKey))
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no line for that course run');
    courses = [input.courseRunKey];
    entitlements = [];
  } else if (input.courseUuid !== undefined) {
    if (!heldEntitlements.includes(input.courseUuid))
      throw codedError(ErrorCode.NOTHING_TO_REFUND, 'This order has no entitlement line for that course');
    courses = [];
    entitlements = [input.courseUuid];
  }
  // An entitlement refund names its order (`order_number`): only course_id refunds reach other orders.
  const others =
    courses.length > 0 ? await otherOrdersHolding(client, owner, courses, order.number, context) : [];
  if (others.length > 0) {
    const confirmed = new Set(input.alsoRefund ?? []);
    const exact = confirmed.size === others.length && others.every((n) => confirmed.has(n));
    if (!(context.identity.isStaff && exact)) {
      throw codedError(
        ErrorCode.REFUND_SCOPE_AMBIGUOUS,
        `The ecommerce service refunds a course in every order holding it: this refund would also refund ${others.join(', ')}`,
        { otherOrders: others, retryable: false },
      );
    }
  } else if ((input.alsoRefund ?? []).length > 0) {
    throw codedError(ErrorCode.BAD_USER_INPUT, 'alsoRefund names orders this refund would not touch', {
      argument: 'input.alsoRefund',
    });
  }
  return {
    courses,
    entitlements,
    owner,
    free: new Set([...freeCourses(order), ...freeEntitlements(order)]),
  };
}

/**
 * The owner's other Complete orders holding any of these courses: what a course_id refund also
 * hits. An order whose line for the course was already refunded is not hit (`create_refunds` skips
 * lines with a refund line); the API cannot show that, so Switchyard's ledger of its own refunds
 * tells. A refund made elsewhere (the LMS, the ecommerce dashboard) is not in it: still a candidate.
 */
async function otherOrdersHolding(
  client: LegacyWriteClient,
  owner: string,
  courses: string[],
  number: string,
  context: WriteContext,
): Promise<string[]> {
  const found: string[] = [];
  for (let page = 1; page <= MAX_HISTORY_PAGES; page++) {
    const response = await client.send(
      {
        method: 'GET',
        path: '/api/v2/orders/',
        query: { username: owner, page, page_size: HISTORY_PAGE_SIZE },
      },
      context,
    );
    client.rejectUnexpected(response, 200);
    const body = parseBody(client.upstreamName, userOrderPageSchema, response.body);
    for (const other of body.results) {
      if (other.number === number || other.status !== 'Complete') continue;
      const shared = courseKeysOf(other).filter((course) => courses.includes(course));
      if (shared.length === 0) continue;
      const refunded = new Set(context.ledger ? await context.ledger.refunded(other.number) : []);
      if (shared.some((course) => !refunded.has(course))) found.push(other.number);
    }
    if (!body.next) return found;
  }
  // A history too long to read in full cannot prove the refund touches nothing else.
  throw codedError(
    ErrorCode.REFUND_SCOPE_AMBIGUOUS,
    `Cannot tell which other orders this refund would touch: more than ${MAX_HISTORY_PAGES * HISTORY_PAGE_SIZE} orders`,
    { otherOrders: found, retryable: false },
  );
}
