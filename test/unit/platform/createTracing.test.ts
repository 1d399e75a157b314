import { ROOT_CONTEXT, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../../platform/createLogger';
import { createTracing } from '../../../platform/tracing/createTracing';
import type { TracingConfig } from '../../../platform/tracing/tracingConfig';
import { SpanCollector } from '../../helpers/SpanCollector';

const config = (sampleRatio: number): TracingConfig => ({
  serviceName: 'test',
  sampleRatio,
  exportUrl: null,
});
const remoteParent = (traceFlags: number): SpanContext => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags,
  isRemote: true,
});
const under = (parent: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, parent);

describe('createTracing', () => {
  it('without an exporter: spans record nothing, yet have their own ids and follow their parent', () => {
    const { tracer } = createTracing(config(1));
    const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(root.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(root.spanContext())).toBe(true);
    expect(root.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
  });

  it.each([
    ['without an exporter', undefined],
    ['with one', new SimpleSpanProcessor(new SpanCollector())],
  ])(
    '%s: samples new traces by ratio and follows a caller’s decision (parent-based)',
    (_label, spanProcessor) => {
      const { tracer } = createTracing(config(0), { spanProcessor });
      expect(tracer.startSpan('new', {}, ROOT_CONTEXT).spanContext().traceFlags).toBe(TraceFlags.NONE);
      const continued = tracer.startSpan('continued', {}, under(remoteParent(TraceFlags.SAMPLED)));
      expect(continued.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
      expect(continued.spanContext().traceId).toBe(remoteParent(0).traceId);
      const all = createTracing(config(1), { spanProcessor }).tracer;
      expect(
        all.startSpan('declined', {}, under(remoteParent(TraceFlags.NONE))).spanContext().traceFlags,
      ).toBe(TraceFlags.NONE);
    },
  );

  it('with a processor: sampled spans are recorded and exported with the service name', async () => {
    const spans = new SpanCollector();
    const tracing = createTracing(config(1), { spanProcessor: new SimpleSpanProcessor(spans) });
    tracing.tracer.startSpan('work', {}, ROOT_CONTEXT).end();
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe('work');
    expect(span?.resource.attributes['service.name']).toBe('test');
    await tracing.shutdown();
  });

  it('shutdown never rejects: a collector that is down costs its spans, logged, not the shutdown', async () => {
    const failing: SpanProcessor = {
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: async () => undefined,
      shutdown: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:4318');
      },
    };
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('test', 'info', { write: (t: string) => lines.push(JSON.parse(t)) });
    await expect(
      createTracing(config(1), { spanProcessor: failing, logger }).shutdown(),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'spans not exported at shutdown',
        err: 'connect ECONNREFUSED 127.0.0.1:4318',
      }),
    ]);
  });
});
