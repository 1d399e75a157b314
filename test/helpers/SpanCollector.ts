import type { ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

type Match = (span: ReadableSpan) => boolean;

/**
 * The SDK's in-memory exporter, plus `waitFor`: a span is exported when it ends, which for a SERVER
 * span is when its response closes — after the client may already have the answer. Tests wait for
 * the span itself instead of sleeping.
 */
export class SpanCollector extends InMemorySpanExporter {
  private readonly waiters: { match: Match; resolve: (span: ReadableSpan) => void }[] = [];

  override export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    super.export(spans, resultCallback);
    for (const waiter of [...this.waiters]) {
      const found = spans.find(waiter.match);
      if (!found) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(found);
    }
  }

  /**
   * The first span that matches, now or once it ends. Gives up after `withinMs` naming the spans it
   * did see: a diagnostic bound, well above any real wait, never a timing assumption.
   */
  waitFor(match: Match, withinMs = 10_000): Promise<ReadableSpan> {
    const seen = this.getFinishedSpans().find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (span: ReadableSpan) => {
          clearTimeout(timer);
          resolve(span);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const names = this.getFinishedSpans().map((s) => `${String(serviceOf(s))}: ${s.name}`);
        reject(
          new Error(`no matching span within ${withinMs} ms; spans seen: ${names.join(', ') || 'none'}`),
        );
      }, withinMs);
      this.waiters.push(waiter);
    });
  }
}

export const serviceOf = (span: ReadableSpan): unknown => span.resource.attributes['service.name'];
export const traceOf = (span: ReadableSpan): string => span.spanContext().traceId;
export const idOf = (span: ReadableSpan): string => span.spanContext().spanId;
export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
