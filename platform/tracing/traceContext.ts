import type { IncomingHttpHeaders } from 'node:http';
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// W3C Trace Context (`traceparent` + `tracestate`), always on: it needs no configuration and costs a
// header, and without it a request's hops cannot be joined into one trace.
const propagator = new W3CTraceContextPropagator();

/** The caller's trace context from request headers; the root context when there is none (or it is malformed). */
export function extractTraceContext(headers: IncomingHttpHeaders | Record<string, string>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Writes `traceparent` (and `tracestate`) naming `span` as the parent of the request they go out on. */
export function injectTraceContext(span: Span, headers: Record<string, string>): void {
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
}

/**
 * The active span's context as `traceparent` (and `tracestate`) to carry with work done later, e.g. a
 * queued job; undefined outside a trace. extractTraceContext reads it back.
 */
export function activeTraceHeaders(): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier.traceparent ? carrier : undefined;
}
