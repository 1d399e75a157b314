import { context, createContextKey, type Context, type Span } from '@opentelemetry/api';
import { ATTR_REQUEST_ID } from './attributeNames';

// The SERVER span of the request being handled, under a key of its own: the active span is not
// always it (@apollo/gateway wraps planning and fetches in spans of its own), and what happens to
// the request as a whole — a call refused by a breaker, the request id — belongs on this one.
const REQUEST_SPAN = createContextKey('switchyard.request-span');

export function withRequestSpan(ctx: Context, span: Span): Context {
  return ctx.setValue(REQUEST_SPAN, span);
}

/** The SERVER span of the request in whose context this runs, if any. */
export function requestSpan(ctx: Context = context.active()): Span | undefined {
  return ctx.getValue(REQUEST_SPAN) as Span | undefined;
}

/** Puts the request id on the request's span: a support ticket quotes the id, this finds its trace. */
export function setRequestId(requestId: string): void {
  requestSpan()?.setAttribute(ATTR_REQUEST_ID, requestId);
}
