import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { withRequestSpan } from './requestSpan';
import { extractTraceContext } from './traceContext';

/**
 * Starts the SERVER span of one HTTP request, continuing the caller's `traceparent` if it sent one,
 * and returns the context to handle the request in. The span ends when the response closes, with its
 * status code. `route` is the matched route's path (routes are exact paths); the GraphQL operation,
 * once known, renames the span (nameRequestSpan).
 */
export function startServerSpan(
  tracer: Tracer,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Context {
  const parent = extractTraceContext(req.headers);
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
  // Named and described only when recorded: a span that records nothing must cost nothing more.
  if (span.isRecording()) {
    span.updateName(`${method} ${route}`);
    span.setAttributes({
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_HTTP_ROUTE]: route,
      [ATTR_URL_PATH]: route,
    });
    res.once('close', () => endServerSpan(span, res));
  }
  return withRequestSpan(trace.setSpan(parent, span), span);
}

function endServerSpan(span: Span, res: ServerResponse): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
  if (!res.writableEnded) {
    // The caller went away before the whole answer was written (docs/reference/resilience.md T15's "request aborted").
    span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'response not completed' });
  } else if (res.statusCode >= 500) {
    // 4xx stay unset on a SERVER span (semantic conventions): the caller's mistake, not ours.
    span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
