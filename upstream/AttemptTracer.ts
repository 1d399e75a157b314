import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_UPSTREAM,
  ATTR_UPSTREAM_OUTCOME,
  ATTR_UPSTREAM_STALE_SERVED,
  ATTR_URL_TEMPLATE,
  EVENT_UPSTREAM_REJECTED,
} from '../platform/tracing/attributeNames';
import { requestSpan } from '../platform/tracing/requestSpan';
import { buildUrlPath } from './buildUrlPath';
import { outcomeOf } from './outcomeOf';
import type { UpstreamRequest } from './Upstream';
import type { UpstreamError } from './UpstreamError';

/** One attempt of a call, shared by the breaker's action (which starts its span) and the retry loop. */
export interface Attempt {
  /** 0 for the first try, 1 and 2 for the retries. */
  retry: number;
  /** Set once the breaker let the attempt through, cleared when the span ends: a refused call has none. */
  span: Span | undefined;
  /** `performance.now()` when the attempt failed: a span ended later still ends at that time. */
  failedAt: number;
  /** The instances (origins) this call's attempts went to, in order: a retry picks another. */
  tried: string[];
}

/**
 * The CLIENT span of every attempt that leaves the process, and an event on the request span for a
 * call the kit refused (open breaker, full bulkhead) — that one never reached the upstream, so it is
 * no CLIENT span. A failed attempt's span stays open until the call knows whether a stale answer was
 * served for it (`end`), and keeps the time it failed.
 */
export class AttemptTracer {
  // Per instance: the span names the one the attempt went to.
  private readonly peers = new Map<string, Attributes>();

  constructor(
    private readonly tracer: Tracer,
    private readonly upstream: string,
    private readonly base: URL,
  ) {}

  /**
   * Starts the attempt's span (a child of the active one) for the instance at `origin`; its context
   * goes out as `traceparent`.
   */
  start(attempt: Attempt, request: UpstreamRequest, origin: string): Span {
    const span = this.tracer.startSpan(request.method, { kind: SpanKind.CLIENT });
    attempt.span = span;
    // Named and described only when recorded: a span that records nothing must cost nothing more.
    if (span.isRecording()) {
      const raw = request.route ?? request.path;
      const query = raw.indexOf('?');
      const template = buildUrlPath(this.base.pathname, { path: query < 0 ? raw : raw.slice(0, query) });
      span.updateName(`${request.method} ${template}`);
      span.setAttributes(this.peer(origin));
      span.setAttribute(ATTR_HTTP_REQUEST_METHOD, request.method);
      span.setAttribute(ATTR_URL_TEMPLATE, template);
      // Set on retries only, as the semantic conventions say: absent means the first attempt.
      if (attempt.retry > 0) span.setAttribute(ATTR_HTTP_REQUEST_RESEND_COUNT, attempt.retry);
    }
    return span;
  }

  private peer(origin: string): Attributes {
    let peer = this.peers.get(origin);
    if (!peer) {
      const url = new URL(origin);
      const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
      peer = {
        [ATTR_UPSTREAM]: this.upstream,
        [ATTR_SERVER_ADDRESS]: url.hostname,
        [ATTR_SERVER_PORT]: port,
      };
      this.peers.set(origin, peer);
    }
    return peer;
  }

  /** The upstream answered (2xx–4xx; 4xx are the caller's to map): the span ends now. */
  answered(attempt: Attempt, status: number): void {
    const span = attempt.span;
    if (!span) return;
    attempt.span = undefined;
    if (span.isRecording()) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      span.setAttribute(ATTR_UPSTREAM_OUTCOME, status >= 400 ? 'client_error' : 'success');
      if (status >= 400) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end();
  }

  /** The attempt failed: recorded on its span, which `end` closes. */
  failed(attempt: Attempt, failure: UpstreamError): void {
    const span = attempt.span;
    if (!span?.isRecording()) return;
    attempt.failedAt = performance.now();
    if (failure.detail.status !== undefined)
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, failure.detail.status);
    span.setAttribute(ATTR_ERROR_TYPE, failure.code);
    span.setAttribute(ATTR_UPSTREAM_OUTCOME, outcomeOf(failure));
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  }

  /**
   * Ends a failed attempt's span, if one is open: before a retry (`staleServed` unknown, unset) or once
   * the call has failed for good, saying whether a stale answer stood in.
   */
  end(attempt: Attempt, staleServed?: boolean): void {
    const span = attempt.span;
    if (!span) return;
    attempt.span = undefined;
    if (staleServed !== undefined) span.setAttribute(ATTR_UPSTREAM_STALE_SERVED, staleServed);
    span.end(attempt.failedAt);
  }

  /** The kit refused the call before it left: an event on the request span, which has no CLIENT child for it. */
  rejected(failure: UpstreamError, staleServed: boolean): void {
    const span = requestSpan();
    if (!span?.isRecording()) return;
    span.addEvent(EVENT_UPSTREAM_REJECTED, {
      [ATTR_UPSTREAM]: this.upstream,
      [ATTR_UPSTREAM_OUTCOME]: outcomeOf(failure),
      [ATTR_ERROR_TYPE]: failure.code,
      [ATTR_UPSTREAM_STALE_SERVED]: staleServed,
    });
  }
}
