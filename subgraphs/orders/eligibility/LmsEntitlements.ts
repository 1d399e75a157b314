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
        found.set(course, toEntitlement(e));
      }
      if (!body.next) break;
    }
    return found;
  }

  /**
   * The learner's entitlements with these uuids (an order that names them itself: the vendor line
   * item's `edxLMSEntitlementId`), keyed by lower-cased uuid, in ONE read: the list's `uuid` filter
   * (a comma-separated list, entitlements/rest_api/v1/filters.py) with `user`, one page of up to
   * ENTITLEMENTS_PAGE_SIZE. More uuids than fit one page are refused by the caller before any read
   * (ENTITLEMENTS_BY_UUID_MAX). A uuid missing from the answer is not this learner's, or unknown.
   */
  async byUuids(
    username: string,
    uuids: readonly string[],
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<Map<string, LmsEntitlement>> {
    const wanted = [...new Set(uuids.map((uuid) => uuid.toLowerCase()))];
    if (wanted.length === 0) return new Map();
    if (wanted.length > ENTITLEMENTS_BY_UUID_MAX)
      throw new RangeError(`at most ${ENTITLEMENTS_BY_UUID_MAX} entitlement uuids are read at once`);
    const response = await serviceGet(
      this.upstream,
      this.service,
      {
        path: '/api/entitlements/v1/entitlements/',
        route: '/api/entitlements/v1/entitlements/',
        query: { user: username, uuid: wanted.join(','), page_size: ENTITLEMENTS_PAGE_SIZE },
        signal: context.signal,
      },
      context.requestId,
    );
    expectStatus(this.upstream.name, response, 200);
    const body = parseBody(this.upstream.name, pageSchema, response.body);
    const found = new Map<string, LmsEntitlement>();
    for (const e of body.results) {
      const uuid = e.uuid.toLowerCase();
      if (wanted.includes(uuid)) found.set(uuid, toEntitlement(e));
    }
    return found;
  }
}

/** Uuids one `byUuids` read asks for at most: all of them fit its single page. */
export const ENTITLEMENTS_BY_UUID_MAX = ENTITLEMENTS_PAGE_SIZE;

function toEntitlement(e: z.infer<typeof entitlementSchema>): LmsEntitlement {
  return {
    uuid: e.uuid,
    courseUuid: e.course_uuid.toLowerCase(),
    orderNumber: e.order_number,
    mode: e.mode,
    refundLocked: e.refund_locked,
    expiredAt: e.expired_at,
    created: e.created,
    enrollmentCourseRun: e.enrollment_course_run ?? null,
  };
}
