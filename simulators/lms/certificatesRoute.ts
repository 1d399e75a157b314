import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import type { SimRoute } from '../kit/createSimulator';

/** A learner's certificate in a course run, as `GeneratedCertificate` holds it. */
export interface LmsCertificate {
  username: string;
  courseId: string;
  /** `CertificateStatuses` (lms/djangoapps/certificates/data.py), e.g. `downloadable`, `notpassing`. */
  status: string;
  certificateType: string;
}

/** The LMS's certificates, set by tests (a learner who passed, a certificate revoked). */
export class LmsCertificates {
  private readonly byKey = new Map<string, LmsCertificate>();

  issue(certificate: LmsCertificate): void {
    this.byKey.set(`${certificate.username}\u0000${certificate.courseId}`, { ...certificate });
  }

  find(username: string, courseId: string): LmsCertificate | null {
    return this.byKey.get(`${username}\u0000${courseId}`) ?? null;
  }
}

/**
 * `GET /api/certificates/v0/certificates/{username}/courses/{course_id}/` as edx-platform's
 * CertificatesDetailView answers it (lms/djangoapps/certificates/apis/v0/views.py and urls.py):
 * JWT-authenticated; the user named in the URL or staff (`IsStaff | IsUserInUrl`), else 403; 404
 * `{"error_code": "no_certificate_for_user"}` without one; else the certificate's fields.
 */
export function certificatesRoute(certificates: LmsCertificates, jwt: JwtOptions): SimRoute {
  return {
    method: 'GET',
    pattern: /^\/api\/certificates\/v0\/certificates\/([^/]+)\/courses\/([^/]+)\/$/,
    name: 'certificates.detail',
    handle: async (request) => {
      const who = await authenticate(request.headers, jwt);
      if (isResponse(who)) return who;
      const [username = '', courseId = ''] = request.params;
      if (!who.isStaff && who.username !== username)
        return { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
      const certificate = certificates.find(username, courseId);
      if (!certificate) return { status: 404, body: { error_code: 'no_certificate_for_user' } };
      return {
        status: 200,
        body: {
          username: certificate.username,
          course_id: certificate.courseId,
          certificate_type: certificate.certificateType,
          created_date: '2024-01-01T00:00:00Z',
          status: certificate.status,
          is_passing: certificate.status === 'downloadable' || certificate.status === 'generating',
          download_url: null,
          grade: '0.9',
        },
      };
    },
  };
}
