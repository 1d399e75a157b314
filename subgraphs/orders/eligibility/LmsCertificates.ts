import { z } from 'zod';
import { expectStatus } from '../../../upstream/expectStatus';
import { parseBody } from '../../../upstream/parseBody';
import type { Upstream } from '../../../upstream/Upstream';
import { serviceGet, type ServiceCredentials } from './serviceGet';

const certificateSchema = z.object({ status: z.string() });

/**
 * A learner's certificate status in a course run, from the LMS certificates API:
 * `GET /api/certificates/v0/certificates/{username}/courses/{course_id}/` (edx-platform
 * lms/djangoapps/certificates/apis/v0/views.py, CertificatesDetailView; staff may read anyone's). 404
 * `no_certificate_for_user` (or `course_id_not_valid`) means there is none: null.
 */
export class LmsCertificates {
  constructor(
    private readonly upstream: Upstream,
    private readonly service: ServiceCredentials,
  ) {}

  async statusOf(
    username: string,
    courseRunKey: string,
    context: { requestId: string; signal?: AbortSignal },
  ): Promise<string | null> {
    const response = await serviceGet(
      this.upstream,
      this.service,
      {
        path: `/api/certificates/v0/certificates/${encodeURIComponent(username)}/courses/${encodeURIComponent(courseRunKey)}/`,
        route: '/api/certificates/v0/certificates/{username}/courses/{course_id}/',
        signal: context.signal,
      },
      context.requestId,
    );
    if (response.status === 404) return null;
    expectStatus(this.upstream.name, response, 200);
    return parseBody(this.upstream.name, certificateSchema, response.body).status;
  }
}
