import type { Identity } from '../../../../platform/auth/Identity';
import { expectStatus } from '../../../../upstream/expectStatus';
import { parseBody } from '../../../../upstream/parseBody';
import { sendRenewingOn401 } from '../../../../upstream/sendRenewingOn401';
import type { Upstream, UpstreamResponse } from '../../../../upstream/Upstream';
import type { ServiceTokens } from '../../../serviceIdentity/createServiceTokens';
import type { CatalogBackend, CallContext } from '../../CatalogBackend';
import type { CourseRun } from '../../CourseRun';
import { discoveryPageSchema } from './dto';
import { toCourseRun } from './toCourseRun';

/**
 * Every CourseRunRestrictionType (course_metadata/choices.py): a restricted run a learner bought must
 * resolve like any other, and discovery hides each type not named here (docs/reference/discovery.md).
 */
export const INCLUDE_RESTRICTED = 'custom-b2b-enterprise,custom-b2c';

/**
 * Course runs from course-discovery, one `?keys=` call per batch, as Switchyard's service user (the
 * LMS service token): discovery throttles ordinary users at 200 requests an hour, and its answer must
 * not depend on which learner asked. `limit` is always the batch size: without it discovery pages at
 * 20 and silently drops the rest of a larger batch.
 */
export class DiscoveryCatalogBackend implements CatalogBackend {
  constructor(
    private readonly upstream: Upstream,
    private readonly service: Pick<ServiceTokens, 'identity' | 'invalidate'>,
  ) {}

  async getCourseRuns(keys: readonly string[], context: CallContext): Promise<(CourseRun | null)[]> {
    // Refused before its expiry (a rotated signing key, a deactivated user): one fresh token, once.
    const response = await sendRenewingOn401(
      { current: () => this.service.identity(), invalidate: (refused) => this.service.invalidate(refused) },
      (service) => this.fetch(keys, service, context),
    );
    // A 429 never gets here: the kit raises it with its Retry-After (upstream/httpAttempt.ts).
    expectStatus(this.upstream.name, response, 200);
    const page = parseBody(this.upstream.name, discoveryPageSchema, response.body);
    // Results come back sorted by key with unknown keys absent: re-align them with the request.
    const byKey = new Map(page.results.map((dto) => [dto.key, toCourseRun(dto)]));
    return keys.map((key) => byKey.get(key) ?? null);
  }

  private fetch(keys: readonly string[], service: Identity, context: CallContext): Promise<UpstreamResponse> {
    return this.upstream.request({
      method: 'GET',
      path: '/api/v1/course_runs/',
      query: {
        // URLSearchParams percent-encodes "+" in keys; a bare "+" would arrive as a space and match nothing.
        keys: keys.join(','),
        limit: keys.length,
        offset: 0,
        // Without it marketing_url carries utm_source=<caller's username>, and discovery caches list
        // answers by query string: one caller's username would reach the next.
        exclude_utm: 1,
        // A run a learner bought stays theirs after it is restricted or its run type retired.
        include_restricted: INCLUDE_RESTRICTED,
        include_retired_run_types: 1,
      },
      headers: { authorization: `JWT ${service.token}`, 'x-request-id': context.requestId },
      signal: context.signal,
      // The answer no longer depends on the learner: any learner may be served the last good one.
      staleScope: service.username,
    });
  }
}
