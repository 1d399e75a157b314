import type { Span } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { ErrorCode } from '../platform/ErrorCode';
import { injectTraceContext } from '../platform/tracing/traceContext';
import { buildUrlPath } from './buildUrlPath';
import { classifyFailure } from './classifyFailure';
import { deadlineSignal } from './deadlineSignal';
import { malformedBody } from './parseBody';
import type { UpstreamRequest, UpstreamResponse } from './Upstream';
import { UpstreamError, isUpstreamError } from './UpstreamError';

export interface AttemptTarget {
  name: string;
  /** The keep-alive pool of the one instance this attempt goes to. */
  pool: Dispatcher;
  origin: string;
  basePath: string;
  timeoutMs: number;
}

/**
 * One HTTP attempt under its own deadline. The AbortSignal destroys the socket when it fires, so a
 * hung upstream sees the connection closed rather than a client that silently stopped listening.
 * `span` (the attempt's CLIENT span) goes out as `traceparent`, so the upstream joins the trace.
 */
export async function httpAttempt<T>(
  target: AttemptTarget,
  request: UpstreamRequest,
  outer?: AbortSignal,
  span?: Span,
): Promise<UpstreamResponse<T>> {
  const deadline = deadlineSignal(target.timeoutMs, outer);
  const { signal } = deadline;
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  if (span) injectTraceContext(span, headers);
  let payload: string | undefined;
  if (request.body !== undefined) {
    payload = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  try {
    const response = await target.pool.request({
      origin: target.origin,
      path: buildUrlPath(target.basePath, request),
      method: request.method,
      headers,
      body: payload,
      signal,
    });
    // The whole body is read under the same deadline: headers then a stall is a timeout too.
    const text = await response.body.text();
    return toResponse<T>(target.name, response.statusCode, response.headers, text);
  } catch (error) {
    if (isUpstreamError(error)) throw error;
    const callerGone = request.signal?.aborted === true;
    const failure = classifyFailure(target.name, error, !callerGone && signal.aborted);
    if (callerGone) failure.detail.callerAborted = true;
    throw failure;
  } finally {
    deadline.dispose();
  }
}

function toResponse<T>(
  name: string,
  status: number,
  headers: UpstreamResponse['headers'],
  text: string,
): UpstreamResponse<T> {
  // A throttled call is an answer, not a fault: it resolves here, inside the breaker, like any 4xx,
  // and the kit raises UPSTREAM_RATE_LIMITED outside it (rateLimitedError). Its body is not parsed: we
  // never show it, and a proxy's HTML 429 must not become a "malformed body" the breaker would count.
  if (status === 429) return { status, headers, body: undefined as T };
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
      throw malformedBody(name, 'invalid JSON', status);
    }
  }
  return { status, headers, body: body as T };
}

/**
 * The failure a 429 answer becomes, raised by the kit once the breaker has counted the answer. Never
 * sent, as far as the upstream's work goes: a throttle refuses a request before any view runs (DRF
 * checks throttles in `initial()`, docs/reference/legacy-ecommerce.md), so even a write is unapplied.
 */
export function rateLimitedError(name: string, response: UpstreamResponse): UpstreamError {
  return new UpstreamError(name, ErrorCode.UPSTREAM_RATE_LIMITED, `${name} is throttling requests`, {
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers['retry-after']),
    neverSent: true,
  });
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
