import { z } from 'zod';
import { expectStatus } from '../../../upstream/expectStatus';
import { parseBody } from '../../../upstream/parseBody';
import type { Upstream } from '../../../upstream/Upstream';
import { serviceGet, type ServiceCredentials } from './serviceGet';

const courseRunSchema = z.object({
  start: z.string().nullable().optional(),
  seats: z.array(z.object({ type: z.string() })).default([]),
});

/** What the refund rule reads of a course run. */
export interface CourseRunForRefund {
  start: string | null;
  seatTypes: string[];
}

/**
 * A course run's start and seats from course-discovery (`GET /api/v1/course_runs/{key}/`,
 * CourseRunWithProgramsSerializer: `start`, `seats[].type`; docs/reference/discovery.md), as the
 * service user. A run the learner bought stays readable after it is restricted or its run type retired.
 * Null when discovery knows no such run.
 */
export class DiscoveryCourseRuns {
  constructor(
    private readonly upstream: Upstream,
    private readonly service: ServiceCredentials,
  ) {}

  async get(
    courseRunKey: string,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<CourseRunForRefund | null> {
    const response = await serviceGet(
      this.upstream,
      this.service,
      {
        path: `/api/v1/course_runs/${encodeURIComponent(courseRunKey)}/`,
        route: '/api/v1/course_runs/{key}/',
        query: {
          exclude_utm: 1,
          include_restricted: 'custom-b2b-enterprise,custom-b2c',
          include_retired_run_types: 1,
        },
        signal: context.signal,
      },
      context.requestId,
    );
    if (response.status === 404) return null;
    expectStatus(this.upstream.name, response, 200);
    const run = parseBody(this.upstream.name, courseRunSchema, response.body);
    return { start: run.start ?? null, seatTypes: run.seats.map((seat) => seat.type) };
  }
}
