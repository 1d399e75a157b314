import { Pool } from 'undici';
import { ErrorCode } from '../platform/ErrorCode';
import { buildUrlPath } from './buildUrlPath';
import { classifyFailure } from './classifyFailure';
import type { Upstream, UpstreamRequest, UpstreamResponse } from './Upstream';
import { UpstreamError, isUpstreamError } from './UpstreamError';
import type { UpstreamOptions } from './UpstreamOptions';

/**
 * One upstream: a keep-alive undici pool plus the per-attempt deadline and the error mapping.
 * Created once at start-up per upstream; never per request.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const base = new URL(options.baseUrl);
  const pool = new Pool(base.origin, {
    connections: options.maxConnections,
    // The kit's AbortSignal owns every deadline; undici's own timers would race it with other errors.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
  });

  async function attempt<T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    try {
      const response = await pool.request({
        origin: base.origin,
        path: buildUrlPath(base.pathname, request),
        method: request.method,
        headers,
        body: payload,
        signal,
      });
      // Read the whole body under the same deadline: a server that sends headers then stalls is a timeout too.
      const text = await response.body.text();
      return toResponse<T>(options.name, response.statusCode, response.headers, text);
    } catch (error) {
      if (isUpstreamError(error)) throw error;
      throw classifyFailure(options.name, error, deadline.aborted && !request.signal?.aborted);
    }
  }

  return {
    name: options.name,
    request: attempt,
    close: () => pool.close(),
  };
}

function toResponse<T>(
  name: string,
  status: number,
  headers: UpstreamResponse['headers'],
  text: string,
): UpstreamResponse<T> {
  if (status === 429) {
    throw new UpstreamError(name, ErrorCode.UPSTREAM_OVERLOADED, `${name} is throttling requests`, {
      status,
      retryAfterMs: retryAfterMs(headers['retry-after']),
    });
  }
  if (status >= 500) {
    throw new UpstreamError(name, ErrorCode.UPSTREAM_ERROR, `${name} failed with status ${status}`, {
      status,
      retryAfterMs: retryAfterMs(headers['retry-after']),
    });
  }
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstreamError(name, ErrorCode.UPSTREAM_ERROR, `${name} returned a malformed body`, {
        status,
        cause: 'invalid JSON',
      });
    }
  }
  return { status, headers, body: body as T };
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
