import { z } from 'zod';
import { expectStatus } from '../../../upstream/expectStatus';
import { parseBody } from '../../../upstream/parseBody';
import type { Upstream } from '../../../upstream/Upstream';
import { serviceGet, type ServiceCredentials } from './serviceGet';

const enrollmentSchema = z.object({
  created: z.string(),
  course_details: z.object({ course_start: z.string().nullable().optional() }),
});

/** What the entitlement rule reads of the enrollment an entitlement was redeemed for. */
export interface EnrollmentForRefund {
  /** When the learner enrolled (ISO-8601). */
  created: string;
  /** The run's start as the LMS keeps it (`CourseOverview.start`), or null. */
  courseStart: string | null;
}

/**
 * A learner's enrollment in a run, from the LMS enrollment API:
 * `GET /api/enrollment/v1/enrollment/{username},{course_id}` (edx-platform
 * openedx/core/djangoapps/enrollments/views.py, EnrollmentView; staff may read anyone's), as the
 * service user. Null when there is none (the view answers 200 with an empty body).
 */
export class LmsEnrollments {
  constructor(
    private readonly upstream: Upstream,
    private readonly service: ServiceCredentials,
  ) {}

  async get(
    username: string,
    courseRunKey: string,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<EnrollmentForRefund | null> {
    const response = await serviceGet(
      this.upstream,
      this.service,
      {
        // No trailing slash: the route is `enrollment/{username},{course_key}$` (enrollments/urls.py).
        path: `/api/enrollment/v1/enrollment/${encodeURIComponent(username)},${encodeURIComponent(courseRunKey)}`,
        route: '/api/enrollment/v1/enrollment/{username},{course_id}',
        signal: context.signal,
      },
      context.requestId,
    );
    expectStatus(this.upstream.name, response, 200);
    if (response.body === undefined || response.body === null) return null;
    const enrollment = parseBody(this.upstream.name, enrollmentSchema, response.body);
    return { created: enrollment.created, courseStart: enrollment.course_details.course_start ?? null };
  }
}
