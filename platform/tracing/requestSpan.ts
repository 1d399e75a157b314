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

// The request id beside its span too: a span that does not record keeps no attributes, and code with
// no context object at hand (Apollo's formatError) still logs the id (currentRequestId).
const requestIds = new WeakMap<Span, string>();

/** Puts the request id on the request's span: a support ticket quotes the id, this finds its trace. */
export function setRequestId(requestId: string): void {
  const span = requestSpan();
  if (!span) return;
  span.setAttribute(ATTR_REQUEST_ID, requestId);
  requestIds.set(span, requestId);
}

/** The id setRequestId gave the request in whose context this runs, if any. */
export function currentRequestId(ctx: Context = context.active()): string | undefined {
  const span = requestSpan(ctx);
  return span && requestIds.get(span);
}
