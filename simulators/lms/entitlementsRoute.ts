import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import type { SimRoute } from '../kit/createSimulator';

/** A learner's course entitlement, as edx-platform's `CourseEntitlement` holds it. */
export interface LmsEntitlement {
  username: string;
  uuid: string;
  /** The course's uuid (discovery's Course, not a run). */
  courseUuid: string;
  /** The ecommerce order that bought it; null for one support created by hand. */
  orderNumber: string | null;
  mode: string;
  refundLocked: boolean;
  /** ISO-8601, or null while it has not expired. */
  expiredAt: string | null;
  /** ISO-8601: when it was created (the refund period counts from here). */
  created: string;
  /** The course run it was redeemed for (`enrollment_course_run.course_id`), or null. */
  enrollmentCourseRun: string | null;
}

/** The LMS's entitlements, set by tests (a learner who bought one, support locking its refund). */
export class LmsEntitlements {
  readonly all: LmsEntitlement[] = [];

  grant(entitlement: LmsEntitlement): void {
    this.all.push({ ...entitlement });
  }

  /** Changes one in place (refund_locked set by support, redeemed for a run, expired). */
  update(uuid: string, change: Partial<Omit<LmsEntitlement, 'uuid'>>): void {
    const found = this.all.find((e) => e.uuid === uuid);
    if (found) Object.assign(found, change);
  }
}

/** EntitlementsPagination (entitlements/rest_api/v1/views.py): 50 a page, at most 100. */
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/**
 * `GET /api/entitlements/v1/entitlements/` as edx-platform's EntitlementViewSet lists them
 * (common/djangoapps/entitlements/rest_api/v1/views.py, filters.py, serializers.py; lms/urls.py
 * mounts it under `api/entitlements/`; docs/reference/lms-entitlements.md):
 * - JWT-authenticated (401 otherwise); reading is open to any authenticated user
 *   (IsAdminOrSupportOrAuthenticatedReadOnly), but a non-staff caller sees only their own
 *   entitlements, whatever `user` says; staff naming `user` see that user's.
 * - filters `user` (username) and `uuid` (a comma-separated list);
 * - DefaultPagination's body (`next`, `previous`, `count`, `num_pages`, `current_page`, `start`,
 *   `results`), `page_size` capped at 100, an out-of-range page 404 `Invalid page.`;
 * - each entitlement as CourseEntitlementSerializer renders it.
 * Deviation: for a non-staff caller the real list first expires entitlements past their policy
 * (`update_expired_at`); here `expiredAt` is what the test set.
 */
export function entitlementsRoute(
  entitlements: LmsEntitlements,
  jwt: JwtOptions,
  baseUrl: () => string,
): SimRoute {
  return {
    method: 'GET',
    pattern: /^\/api\/entitlements\/v1\/entitlements\/$/,
    name: 'entitlements.list',
    handle: async (request) => {
      const who = await authenticate(request.headers, jwt);
      if (isResponse(who)) return who;
      const query = request.url.searchParams;
      const user = query.get('user');
      const uuids = query.get('uuid');
      // get_queryset: staff naming a user read everyone's (then filtered); anyone else only their own.
      let found =
        who.isStaff && user !== null
          ? entitlements.all
          : entitlements.all.filter((e) => e.username === who.username);
      if (user) found = found.filter((e) => e.username === user);
      if (uuids) {
        const wanted = new Set(uuids.split(','));
        found = found.filter((e) => wanted.has(e.uuid));
      }
      const asked = Number.parseInt(query.get('page_size') ?? '', 10);
      const size = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_PAGE_SIZE) : PAGE_SIZE;
      const pages = Math.max(1, Math.ceil(found.length / size));
      const rawPage = query.get('page');
      const page = rawPage === null ? 1 : Number.parseInt(rawPage, 10);
      if (!Number.isInteger(page) || page < 1 || page > pages)
        return { status: 404, body: { detail: 'Invalid page.' } };
      const link = (n: number) => {
        const url = new URL(`${baseUrl()}/api/entitlements/v1/entitlements/`);
        query.forEach((value, name) => url.searchParams.set(name, value));
        url.searchParams.set('page', String(n));
        return url.toString();
      };
      return {
        status: 200,
        body: {
          next: page < pages ? link(page + 1) : null,
          previous: page > 1 ? link(page - 1) : null,
          count: found.length,
          num_pages: pages,
          current_page: page,
          start: (page - 1) * size,
          results: found.slice((page - 1) * size, page * size).map(render),
        },
      };
    },
  };
}

function render(entitlement: LmsEntitlement): Record<string, unknown> {
  return {
    user: entitlement.username,
    uuid: entitlement.uuid,
    course_uuid: entitlement.courseUuid,
    enrollment_course_run: entitlement.enrollmentCourseRun,
    expired_at: entitlement.expiredAt,
    created: entitlement.created,
    modified: entitlement.created,
    mode: entitlement.mode,
    refund_locked: entitlement.refundLocked,
    order_number: entitlement.orderNumber,
    support_details: [],
  };
}
