import { z } from 'zod';
import { expectStatus } from '../../../upstream/expectStatus';
import { parseBody } from '../../../upstream/parseBody';
import type { Upstream } from '../../../upstream/Upstream';
import { serviceGet, type ServiceCredentials } from './serviceGet';

const entitlementSchema = z.object({
  uuid: z.string(),
  course_uuid: z.string(),
  order_number: z.string().nullable(),
  mode: z.string(),
  refund_locked: z.boolean(),
  expired_at: z.string().nullable(),
  created: z.string(),
  enrollment_course_run: z.string().nullable().optional(),
});
const pageSchema = z.object({ next: z.string().nullable().optional(), results: z.array(entitlementSchema) });

/** A learner's course entitlement as the refund rule reads it. */
export interface LmsEntitlement {
  uuid: string;
  courseUuid: string;
  orderNumber: string | null;
  mode: string;
  refundLocked: boolean;
  expiredAt: string | null;
  created: string;
  enrollmentCourseRun: string | null;
}

/** EntitlementsPagination's largest page (max_page_size). */
export const ENTITLEMENTS_PAGE_SIZE = 100;
/** Pages read at most: one for any learner with up to 100 entitlements, five for the rare rest. */
export const ENTITLEMENTS_MAX_PAGES = 5;

/**
 * A learner's entitlements from the LMS entitlements API, `GET /api/entitlements/v1/entitlements/
 * ?user={username}&page_size=100` (edx-platform common/djangoapps/entitlements/rest_api/v1/views.py;
 * docs/reference/lms-entitlements.md), as the service user: staff naming `user` read that learner's.
 * Pages are read until every course asked for is found, at most ENTITLEMENTS_MAX_PAGES.
 */
export class LmsEntitlements {
  constructor(
    private readonly upstream: Upstream,
    private readonly service: ServiceCredentials,
  ) {}

  /**
   * The entitlement bought in this order for each of these courses (the LMS keeps one per course and
   * order: `unique_together = ('course_uuid', 'order_number')`), keyed by lower-cased course uuid.
   * A course missing from the answer has none the LMS knows of.
   */
  async forOrder(
    username: string,
    orderNumber: string,
    courseUuids: readonly string[],
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<Map<string, LmsEntitlement>> {
    const wanted = new Set(courseUuids.map((uuid) => uuid.toLowerCase()));
    const found = new Map<string, LmsEntitlement>();
    for (let page = 1; page <= ENTITLEMENTS_MAX_PAGES && found.size < wanted.size; page++) {
      const response = await serviceGet(
        this.upstream,
        this.service,
        {
          path: '/api/entitlements/v1/entitlements/',
          route: '/api/entitlements/v1/entitlements/',
          query: { user: username, page, page_size: ENTITLEMENTS_PAGE_SIZE },
          signal: context.signal,
        },
        context.requestId,
      );
      expectStatus(this.upstream.name, response, 200);
      const body = parseBody(this.upstream.name, pageSchema, response.body);
      for (const e of body.results) {
        const course = e.course_uuid.toLowerCase();
        if (e.order_number !== orderNumber || !wanted.has(course)) continue;
        found.set(course, {
          uuid: e.uuid,
          courseUuid: course,
          orderNumber: e.order_number,
          mode: e.mode,
          refundLocked: e.refund_locked,
          expiredAt: e.expired_at,
          created: e.created,
          enrollmentCourseRun: e.enrollment_course_run ?? null,
        });
      }
      if (!body.next) break;
    }
    return found;
  }
}
