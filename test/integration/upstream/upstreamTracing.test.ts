import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createTracing, type Tracing } from '../../../platform/tracing/createTracing';
import { withRequestSpan } from '../../../platform/tracing/requestSpan';
import { createUpstream } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';
import { idOf, parentOf, SpanCollector, traceOf } from '../../helpers/SpanCollector';

const spans = new SpanCollector();
let tracing: Tracing;
let upstream: FakeUpstream;
const opened: Upstream[] = [];

beforeAll(() => {
  tracing = createTracing(
    { serviceName: 'kit-test', sampleRatio: 1, exportUrl: null },
    { spanProcessor: new SimpleSpanProcessor(spans) },
  );
});
afterAll(() => tracing.shutdown());
beforeEach(async () => {
  spans.reset();
  upstream = await startFakeUpstream();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
  await upstream.close();
});

function kit(env: Record<string, string> = {}, tracer: Tracer = tracing.tracer) {
  // Backoff recorded, not waited for: no sleeps in tests.
  const u = createUpstream(parseUpstreamEnv('TEST', 'test-upstream', upstream.url, env), {
    tracer,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  opened.push(u);
  return u;
}

/** Runs `work` as the SERVER span of a request would (the kit records refusals on that span), then ends it. */
async function inRequest<T>(work: () => Promise<T>, tracer: Tracer = tracing.tracer) {
  const span = tracer.startSpan('test request', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  const result: { value?: T; error?: unknown } = await context
    .with(withRequestSpan(trace.setSpan(ROOT_CONTEXT, span), span), work)
    .then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  span.end();
  return {
    ...result,
    span,
    requestSpan: spans.getFinishedSpans().find((s) => idOf(s) === span.spanContext().spanId),
  };
}

const clientSpans = () => spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
const traceparentOf = (i: number) => upstream.requests[i]?.headers.traceparent;
const flags = (s: ReadableSpan) => `0${s.spanContext().traceFlags}`;

describe('CLIENT spans, one per attempt', () => {
  it('a retried read: one span per attempt, numbered, each sent as the traceparent of its own attempt', async () => {
    let n = 0;
    upstream.handle((_req, res) => (n++ === 0 ? json(res, 503, {}) : json(res, 200, { ok: true })));
    const { value, span } = await inRequest(() =>
      kit().request({
        method: 'GET',
        path: '/things/42',
        route: '/things/{id}',
        query: { user: 'learner1' },
      }),
    );
    expect(value).toMatchObject({ status: 200 });
    const [first, second] = clientSpans();
    expect(clientSpans()).toHaveLength(2);
    for (const attempt of [first!, second!]) {
      expect(attempt.name).toBe('GET /things/{id}');
      expect(traceOf(attempt)).toBe(span.spanContext().traceId);
      expect(parentOf(attempt)).toBe(span.spanContext().spanId);
      expect(attempt.attributes).toMatchObject({
        'switchyard.upstream': 'test-upstream',
        'http.request.method': 'GET',
        'url.template': '/things/{id}',
        'server.address': '127.0.0.1',
      });
    }
    expect(first!.attributes).toMatchObject({
      'http.response.status_code': 503,
      'switchyard.upstream.outcome': 'error',
      'error.type': 'UPSTREAM_ERROR',
    });
    expect(first!.attributes['http.request.resend_count']).toBeUndefined();
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(second!.attributes).toMatchObject({
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
      'switchyard.upstream.outcome': 'success',
    });
    expect(second!.status.code).toBe(SpanStatusCode.UNSET);
    // What the upstream received: each attempt names its own span as the parent.
    expect(traceparentOf(0)).toBe(`00-${traceOf(first!)}-${idOf(first!)}-${flags(first!)}`);
    expect(traceparentOf(1)).toBe(`00-${traceOf(second!)}-${idOf(second!)}-${flags(second!)}`);
  });

  it('records the path without its query when no route is given', async () => {
    await inRequest(() =>
      kit().request({ method: 'GET', path: '/project/orders?where=customerId%3D%22u1%22' }),
    );
    expect(clientSpans()[0]!.attributes['url.template']).toBe('/project/orders');
    expect(JSON.stringify(clientSpans()[0]!.attributes)).not.toContain('customerId');
  });

  it('a breaker-open refusal gets no CLIENT span; the request span carries it as an event', async () => {
    upstream.handle((_req, res) => json(res, 500, {}));
    const u = kit({ TEST_BREAKER_VOLUME_THRESHOLD: '1', TEST_RETRIES: '0' });
    await inRequest(() => u.request({ method: 'GET', path: '/x' })); // opens the breaker
    expect(u.status().breaker).toBe('open');
    spans.reset();
    const { error, requestSpan } = await inRequest(() => u.request({ method: 'GET', path: '/x' }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(upstream.requests).toHaveLength(1);
    expect(clientSpans()).toEqual([]);
    expect(requestSpan!.events).toEqual([
      expect.objectContaining({
        name: 'upstream call rejected',
        attributes: {
          'switchyard.upstream': 'test-upstream',
          'switchyard.upstream.outcome': 'rejected_open',
          'error.type': 'UPSTREAM_UNAVAILABLE',
          'switchyard.upstream.stale_served': false,
        },
      }),
    ]);
  });

  it('a full bulkhead: the refused call gets no CLIENT span, only an event on its request span', async () => {
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    upstream.handle((_req, res) => {
      release = () => json(res, 200, {});
      arrived();
    });
    const u = kit({ TEST_BULKHEAD_MAX_CONCURRENT: '1', TEST_BULKHEAD_MAX_QUEUE: '0' });
    const first = inRequest(() => u.request({ method: 'GET', path: '/slow' }));
    await held;
    const refused = await inRequest(() => u.request({ method: 'GET', path: '/slow' }));
    release();
    await first;
    expect(refused.error).toMatchObject({ code: 'UPSTREAM_OVERLOADED' });
    expect(refused.requestSpan!.events.map((e) => e.attributes?.['switchyard.upstream.outcome'])).toEqual([
      'rejected_overload',
    ]);
    expect(clientSpans().map(parentOf)).not.toContain(refused.span.spanContext().spanId);
    expect(clientSpans()).toHaveLength(1);
  });

  it('a failed attempt answered from stale-if-error says so on its span', async () => {
    const u = kit({ TEST_STALE_IF_ERROR_MS: '60000', TEST_RETRIES: '0' });
    const read = () => u.request({ method: 'GET', path: '/page', staleScope: 'learner1' });
    await inRequest(read);
    upstream.handle((_req, res) => json(res, 500, {}));
    const { value } = await inRequest(read);
    expect(value).toMatchObject({ status: 200, stale: expect.anything() });
    const [fresh, failed] = clientSpans();
    expect(fresh!.attributes['switchyard.upstream.stale_served']).toBeUndefined();
    expect(failed!.attributes).toMatchObject({
      'http.response.status_code': 500,
      'switchyard.upstream.outcome': 'error',
      'switchyard.upstream.stale_served': true,
    });
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('without an exporter', () => {
  it('still sends a traceparent: the trace id of the request, a span id of the attempt', async () => {
    const quiet = createTracing({ serviceName: 'quiet', sampleRatio: 1, exportUrl: null });
    const { span } = await inRequest(
      () => kit({}, quiet.tracer).request({ method: 'GET', path: '/x' }),
      quiet.tracer,
    );
    expect(span.isRecording()).toBe(false);
    const [, traceId, parentId, sampled] = String(traceparentOf(0)).split('-');
    expect(traceId).toBe(span.spanContext().traceId);
    expect(parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(parentId).not.toBe(span.spanContext().spanId);
    expect(sampled).toBe('01');
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});
