import { context, SpanKind, trace, type Context, type Tracer } from '@opentelemetry/api';
import { withRequestSpan } from './requestSpan';

export interface InProcessSpan {
  /** The context to run the subgraph's operation in: this span active, and the request span. */
  context: Context;
  end(): void;
}

/**
 * The span of one subgraph operation executed in the gateway's process (colocated/): what the
 * subgraph's SERVER span is over HTTP, as an INTERNAL child of whatever is active (the gateway's
 * request). Without a tracer the context is left as it is.
 */
export function startInProcessSpan(tracer: Tracer | undefined, subgraph: string): InProcessSpan {
  const parent = context.active();
  if (!tracer) return { context: parent, end: () => undefined };
  const span = tracer.startSpan(`${subgraph} subgraph`, { kind: SpanKind.INTERNAL }, parent);
  if (span.isRecording()) span.setAttribute('switchyard.subgraph', subgraph);
  return { context: withRequestSpan(trace.setSpan(parent, span), span), end: () => span.end() };
}
