import { context, trace } from '@opentelemetry/api';

/**
 * pino `mixin`: `traceId` and `spanId` of the span active where a line is logged, beside the fields
 * the line already has (`requestId`…), so a log line leads to its trace and back. Lines logged
 * outside any request (start-up, breaker timers) get nothing. Always a new object: pino merges the
 * line's own fields into what the mixin returns.
 */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpan(context.active());
  const spanContext = span?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
