import { ErrorCode } from '../../../../platform/ErrorCode';
import type { Upstream } from '../../../../upstream/Upstream';
import { UpstreamError } from '../../../../upstream/UpstreamError';
import type { CatalogBackend, CallContext } from '../../CatalogBackend';
import type { CourseRun } from '../../CourseRun';
import { discoveryPageSchema } from './dto';
import { toCourseRun } from './toCourseRun';

/**
 * Course runs from course-discovery, one `?keys=` call per batch. `limit` is always set to the batch
 * size: without it discovery pages at 20 and silently drops the rest of a larger batch.
 */
export class DiscoveryCatalogBackend implements CatalogBackend {
  constructor(private readonly upstream: Upstream) {}

  async getCourseRuns(keys: readonly string[], context: CallContext): Promise<(CourseRun | null)[]> {
    const response = await this.upstream.request({
      method: 'GET',
      path: '/api/v1/course_runs/',
      // URLSearchParams percent-encodes "+" in keys; a bare "+" would arrive as a space and match nothing.
      query: { keys: keys.join(','), limit: keys.length, offset: 0 },
      headers: { authorization: `JWT ${context.identity.token}`, 'x-request-id': context.requestId },
      signal: context.signal,
      staleScope: context.identity.username,
    });
    if (response.status !== 200) {
      throw new UpstreamError(
        this.upstream.name,
        ErrorCode.UPSTREAM_ERROR,
        `${this.upstream.name} answered ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    const parsed = discoveryPageSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new UpstreamError(
        this.upstream.name,
        ErrorCode.UPSTREAM_ERROR,
        `${this.upstream.name} returned a malformed body`,
        {
          cause: parsed.error.message.slice(0, 300),
        },
      );
    }
    // Results come back sorted by key with unknown keys absent: re-align them with the request.
    const byKey = new Map(parsed.data.results.map((dto) => [dto.key, toCourseRun(dto)]));
    return keys.map((key) => byKey.get(key) ?? null);
  }
}
