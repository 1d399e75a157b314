import type { Span } from '@opentelemetry/api';
import type { Pool } from 'undici';
import { ErrorCode } from '../platform/ErrorCode';
import { injectTraceContext } from '../platform/tracing/traceContext';
import { buildUrlPath } from './buildUrlPath';
import { classifyFailure } from './classifyFailure';
import { deadlineSignal } from './deadlineSignal';
import type { UpstreamRequest, UpstreamResponse } from './Upstream';
import { UpstreamError, isUpstreamError } from './UpstreamError';

export interface AttemptTarget {
  name: string;
  pool: Pool;
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
