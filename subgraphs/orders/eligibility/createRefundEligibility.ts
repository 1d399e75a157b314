import { createUpstream, type UpstreamDeps } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import type { RefundsConfig } from '../config/refundsConfig';
import { DiscoveryCourseRuns } from './DiscoveryCourseRuns';
import { LmsCertificates } from './LmsCertificates';
import { LmsEnrollments } from './LmsEnrollments';
import { LmsEntitlements } from './LmsEntitlements';
import { RefundEligibility } from './RefundEligibility';
import type { ServiceCredentials } from './serviceGet';

/**
 * The refund rule with its own clients of discovery and the LMS (deadline, breaker, bulkhead, named
 * `discovery` and `lms` in `/status`), both called as the service user. The LMS serves certificates,
 * entitlements and enrollments.
 */
export function createRefundEligibility(
  config: RefundsConfig,
  service: ServiceCredentials,
  deps: UpstreamDeps = {},
): { eligibility: RefundEligibility; upstreams: Upstream[] } {
  const discovery = createUpstream(config.discovery, deps);
  const lms = createUpstream(config.lms, deps);
  const eligibility = new RefundEligibility({
    courseRuns: new DiscoveryCourseRuns(discovery, service),
    certificates: new LmsCertificates(lms, service),
    entitlements: new LmsEntitlements(lms, service),
    enrollments: new LmsEnrollments(lms, service),
    windowMs: config.windowMs,
  });
  return { eligibility, upstreams: [discovery, lms] };
}
