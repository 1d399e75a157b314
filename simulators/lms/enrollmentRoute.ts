import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import type { SimRoute } from '../kit/createSimulator';

/** A learner's enrollment in a course run, as `CourseEnrollment` (and the run's CourseOverview) hold it. */
export interface LmsEnrollment {
  username: string;
  courseId: string;
  /** ISO-8601: when the learner enrolled. */
  created: string;
  mode: string;
  isActive: boolean;
  /** The run's start (`CourseOverview.start`), ISO-8601, or null. */
  courseStart: string | null;
}

/** The LMS's enrollments, set by tests (the run an entitlement was redeemed for). */
export class LmsEnrollments {
  private readonly byKey = new Map<string, LmsEnrollment>();

  enroll(enrollment: LmsEnrollment): void {
    this.byKey.set(`${enrollment.username}\u0000${enrollment.courseId}`, { ...enrollment });
  }

  find(username: string, courseId: string): LmsEnrollment | null {
    return this.byKey.get(`${username}\u0000${courseId}`) ?? null;
  }
}

/**
 * `GET /api/enrollment/v1/enrollment/{username},{course_id}` as edx-platform's EnrollmentView answers
 * it (openedx/core/djangoapps/enrollments/views.py, urls.py — no trailing slash — and serializers.py;
 * docs/reference/lms-entitlements.md): JWT-authenticated (401 otherwise); another user's enrollment
 * only for staff, else **404 with an empty body** (so no one can learn that it exists); no enrollment
 * is `Response(None)`: **200 with an empty body**; else CourseEnrollmentSerializer's `created`, `mode`,
 * `is_active`, `user` and `course_details` (CourseSerializer, `course_start` among them).
 */
export function enrollmentRoute(enrollments: LmsEnrollments, jwt: JwtOptions): SimRoute {
  return {
    method: 'GET',
    pattern: /^\/api\/enrollment\/v1\/enrollment\/([^,/]+),([^/]+)$/,
    name: 'enrollment.detail',
    handle: async (request) => {
      const who = await authenticate(request.headers, jwt);
      if (isResponse(who)) return who;
      const [username = '', courseId = ''] = request.params;
      if (who.username !== username && !who.isStaff) return { status: 404 };
      const enrollment = enrollments.find(username, courseId);
      if (!enrollment) return { status: 200 };
      return {
        status: 200,
        body: {
          created: enrollment.created,
          mode: enrollment.mode,
          is_active: enrollment.isActive,
          user: enrollment.username,
          course_details: {
            course_id: enrollment.courseId,
            course_name: enrollment.courseId,
            enrollment_start: null,
            enrollment_end: null,
            course_start: enrollment.courseStart,
            course_end: null,
            invite_only: false,
            course_modes: [],
          },
        },
      };
    },
  };
}
