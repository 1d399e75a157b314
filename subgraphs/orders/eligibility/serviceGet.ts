import type { Identity } from '../../../platform/auth/Identity';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../upstream/Upstream';

/** Switchyard's service identity, renewable when an upstream refuses its token. */
export interface ServiceCredentials {
  identity(): Promise<Identity>;
  invalidate(identity: Identity): void;
}

/**
 * A read as Switchyard's service user (`JWT <token>`, as the LMS's own IDAs call each other): the
 * answer must not depend on which learner asked, and a learner's token may not read these at all
 * (discovery throttles learners; certificates of another user need staff). A 401 before the token's
 * expiry (a rotated key) gets one fresh token, once.
 */
export async function serviceGet(
  upstream: Upstream,
  service: ServiceCredentials,
  request: Omit<UpstreamRequest, 'method' | 'headers'>,
  requestId: string,
): Promise<UpstreamResponse> {
  const send = (identity: Identity) =>
    upstream.request({
      ...request,
      method: 'GET',
      headers: { authorization: `JWT ${identity.token}`, 'x-request-id': requestId },
    });
  const identity = await service.identity();
  const response = await send(identity);
  if (response.status !== 401) return response;
  service.invalidate(identity);
  return send(await service.identity());
}
