import { randomBytes, randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parseJwtEnv } from '../../../platform/config/jwtEnv';
import { createLogger } from '../../../platform/createLogger';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../../simulators/seed/createSeed';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/startRecordingProxy';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';
import { idOf, parentOf, serviceOf, SpanCollector, traceOf } from '../../helpers/SpanCollector';
import { refundableOrders } from '../../helpers/refundableOrders';

const HISTORY = `query History { orderHistory(pageSize: 5) { count orders { number lines { courseRun { key title } } } } }`;
const REFUND = `mutation Refund($input: RequestRefundInput!) { requestRefund(input: $input) { id status } }`;

/** Log lines of every component, parsed, with the same wait-instead-of-sleep as the spans. */
class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  private readonly waiters: { match: (l: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  readonly stream = {
    write: (text: string) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      this.lines.push(line);
      for (const w of this.waiters.filter((w) => w.match(line))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  };
  async waitFor(match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    if (!this.lines.some(match)) await new Promise<void>((resolve) => this.waiters.push({ match, resolve }));
    return this.lines.find(match)!;
  }
}

const seed = createSeed();
const spans = new SpanCollector();
const logs = new LogLines();
let legacy: LegacyEcommerceSimulator;
let proxy: RecordingProxy;
let stack: TestStack;

beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({ seed, jwt: parseJwtEnv({}), port: 0 });
  // The legacy API behind a recording proxy: what it received over the wire, headers included.
  proxy = await startRecordingProxy(legacy.url);
  stack = await startTestStack(
    { LEGACY_ECOMMERCE_URL: proxy.url },
    { spans, logger: (component) => createLogger(component, 'info', logs.stream) },
  );
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
  await legacy?.close();
});

const newTraceId = () => randomBytes(16).toString('hex');
const newSpanId = () => randomBytes(8).toString('hex');
const spanOf = (service: string, kind: SpanKind, where: (s: ReadableSpan) => boolean) =>
  spans.waitFor((s) => serviceOf(s) === service && s.kind === kind && where(s));
const inTrace = (traceId: string) => (s: ReadableSpan) => traceOf(s) === traceId;
const legacyCalls = (traceId: string) =>
  proxy.requests.filter((r) => String(r.headers.traceparent).split('-')[1] === traceId);

describe('one trace across the stack', () => {
  it('orderHistory: gateway SERVER → CLIENT → orders SERVER → legacy CLIENT, and legacy gets the traceparent', async () => {
    const requestId = `trace-${randomUUID()}`;
    const result = await stack.query(HISTORY, { user: 'learner1', headers: { 'x-request-id': requestId } });
    expect(result.body.errors).toBeUndefined();

    const gateway = await spanOf(
      'switchyard-gateway',
      SpanKind.SERVER,
      (s) => s.attributes['switchyard.request_id'] === requestId,
    );
    const traceId = traceOf(gateway);
    expect(gateway.parentSpanContext).toBeUndefined(); // no traceparent came in: a new trace
    expect(gateway.name).toBe('query History');
    expect(gateway.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'History',
    });

    const toOrders = await spanOf(
      'switchyard-gateway',
      SpanKind.CLIENT,
      (s) => inTrace(traceId)(s) && s.attributes['switchyard.upstream'] === 'orders',
    );
    expect(parentOf(toOrders)).toBe(idOf(gateway));
    expect(toOrders.name).toBe('POST /graphql');

    const orders = await spanOf('switchyard-orders', SpanKind.SERVER, inTrace(traceId));
    expect(parentOf(orders)).toBe(idOf(toOrders));
    expect(orders.parentSpanContext?.isRemote).toBe(true);
    expect(orders.attributes['switchyard.request_id']).toBe(requestId);
    expect(orders.name).toMatch(/^query History__orders__\d+$/);

    const toLegacy = await spanOf(
      'switchyard-orders',
      SpanKind.CLIENT,
      (s) => inTrace(traceId)(s) && s.attributes['switchyard.upstream'] === 'legacy-ecommerce',
    );
    expect(parentOf(toLegacy)).toBe(idOf(orders));
    expect(toLegacy.name).toBe('GET /api/v2/orders/');
    expect(toLegacy.attributes).toMatchObject({
      'http.response.status_code': 200,
      'switchyard.upstream.outcome': 'success',
    });

    // What the legacy API received names the CLIENT span as its parent.
    const [call] = legacyCalls(traceId);
    expect(call?.headers.traceparent).toBe(`00-${traceId}-${idOf(toLegacy)}-01`);
    expect(call?.headers['x-request-id']).toBe(requestId);

    // The catalog half of the plan is in the same trace: gateway → catalog → discovery.
    const toCatalog = await spanOf(
      'switchyard-gateway',
      SpanKind.CLIENT,
      (s) => inTrace(traceId)(s) && s.attributes['switchyard.upstream'] === 'catalog',
    );
    const catalog = await spanOf('switchyard-catalog', SpanKind.SERVER, inTrace(traceId));
    expect(parentOf(catalog)).toBe(idOf(toCatalog));
    // The catalog's first request also fetches its service token from the LMS (upstream lms-oauth2).
    const toDiscovery = await spanOf(
      'switchyard-catalog',
      SpanKind.CLIENT,
      (s) => inTrace(traceId)(s) && s.attributes['switchyard.upstream'] === 'discovery',
    );
    expect(parentOf(toDiscovery)).toBe(idOf(catalog));
    expect(toDiscovery.attributes['url.template']).toBe('/api/v1/course_runs/');
  });

  it("continues the caller's traceparent and passes its tracestate on", async () => {
    const traceId = newTraceId();
    const callerSpan = newSpanId();
    const result = await stack.query(HISTORY, {
      user: 'learner1',
      headers: { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'mfe=order-history' },
    });
    expect(result.body.errors).toBeUndefined();
    const gateway = await spanOf('switchyard-gateway', SpanKind.SERVER, inTrace(traceId));
    expect(gateway.parentSpanContext).toMatchObject({ spanId: callerSpan, isRemote: true });
    await spanOf('switchyard-orders', SpanKind.CLIENT, inTrace(traceId));
    const [call] = legacyCalls(traceId);
    expect(call?.headers.tracestate).toBe('mfe=order-history');
  });

  it("follows a caller's decision not to sample: nothing recorded, the trace id still passed on", async () => {
    const traceId = newTraceId();
    await stack.query(HISTORY, {
      user: 'learner1',
      headers: { traceparent: `00-${traceId}-${newSpanId()}-00` },
    });
    const [call] = legacyCalls(traceId);
    expect(call?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    // A sampled request after it, waited for to its last span: the unsampled one recorded none at all.
    const sampled = newTraceId();
    await stack.query(HISTORY, {
      user: 'learner1',
      headers: { traceparent: `00-${sampled}-${newSpanId()}-01` },
    });
    await spanOf('switchyard-gateway', SpanKind.SERVER, inTrace(sampled));
    expect(spans.getFinishedSpans().filter(inTrace(traceId))).toEqual([]);
  });
});

describe('log lines', () => {
  it('carry traceId and spanId beside the request id, in the gateway and the subgraph', async () => {
    const traceId = newTraceId();
    const requestId = `trace-${randomUUID()}`;
    const order = refundableOrders('learner1')[0]!;
    const result = await stack.query(REFUND, {
      user: 'learner1',
      variables: { input: { orderNumber: order.number } },
      headers: {
        'idempotency-key': randomUUID(),
        'x-request-id': requestId,
        traceparent: `00-${traceId}-${newSpanId()}-01`,
      },
    });
    expect(result.body.errors).toBeUndefined();
    const gateway = await spanOf('switchyard-gateway', SpanKind.SERVER, inTrace(traceId));
    const orders = await spanOf('switchyard-orders', SpanKind.SERVER, inTrace(traceId));

    // The gateway's line is written when the response closes, outside the request: still in its trace.
    const completed = await logs.waitFor((l) => l.msg === 'request completed' && l.requestId === requestId);
    expect(completed).toMatchObject({
      component: 'gateway',
      audit: 'mutation',
      event: 'request completed',
      operationName: 'Refund',
      traceId,
      spanId: idOf(gateway),
    });
    const audit = logs.lines.filter((l) => l.component === 'orders-subgraph' && l.requestId === requestId);
    expect(audit.map((l) => l.event)).toEqual(expect.arrayContaining(['upstream attempt']));
    for (const line of audit)
      expect(line).toMatchObject({ traceId, spanId: idOf(orders), audit: 'mutation' });
  });

  it("the line of a mutation whose caller went away is in its trace too, and so is the span's end", async () => {
    const traceId = newTraceId();
    const requestId = `trace-${randomUUID()}`;
    const order = refundableOrders('learner1')[1]!;
    const caller = new AbortController();
    legacy.writes.holdAfterApply = true;
    try {
      const pending = fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `JWT ${stack.token('learner1')}`,
          'idempotency-key': randomUUID(),
          'x-request-id': requestId,
          traceparent: `00-${traceId}-${newSpanId()}-01`,
        },
        body: JSON.stringify({ query: REFUND, variables: { input: { orderNumber: order.number } } }),
        signal: caller.signal,
      }).catch((error: Error) => error);
      await legacy.writes.whenHeld();
      caller.abort();
      await expect(pending).resolves.toMatchObject({ name: 'AbortError' });
      // 'close' now comes from the socket, outside the request's context: the line is bound to it.
      const aborted = await logs.waitFor((l) => l.msg === 'request aborted' && l.requestId === requestId);
      const gateway = await spanOf('switchyard-gateway', SpanKind.SERVER, inTrace(traceId));
      expect(aborted).toMatchObject({ event: 'request aborted', traceId, spanId: idOf(gateway) });
      expect(gateway.attributes['error.type']).toBe('aborted');
    } finally {
      legacy.writes.holdAfterApply = false;
      legacy.writes.releaseHeld();
    }
  });

  it('outside a request carry no trace fields, and keep their own fields to themselves', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('test', 'info', { write: (t: string) => lines.push(JSON.parse(t)) });
    logger.info({ url: 'http://127.0.0.1:1' }, 'listening');
    logger.info('started');
    expect(lines[0]).toMatchObject({ component: 'test', url: 'http://127.0.0.1:1', msg: 'listening' });
    expect(lines[1]).not.toHaveProperty('url');
    for (const line of lines) expect(line).not.toHaveProperty('traceId');
  });
});
