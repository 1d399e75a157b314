import type * as otlpModule from '@opentelemetry/exporter-trace-otlp-http';
import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import { PropagatingTracer } from './PropagatingTracer';
import type { TracingConfig } from './tracingConfig';

export interface Tracing {
  /** Starts this component's spans (its HTTP server's and its upstream kit's). */
  readonly tracer: Tracer;
  /**
   * Exports the spans still queued, then stops; called once, when the component stops. Never rejects:
   * a collector that is down costs those spans (logged), not the rest of the shutdown.
   */
  shutdown(): Promise<void>;
}

export interface TracingDeps {
  /**
   * Receives the component's spans instead of the configured OTLP endpoint: tests hand in a
   * SimpleSpanProcessor over an in-memory exporter, so each span is there as soon as it ends.
   * @default a BatchSpanProcessor over OTLP/HTTP when an endpoint is configured, else none
   */
  spanProcessor?: SpanProcessor;
  /** Where a failed final flush is reported. */
  logger?: Logger;
}

/**
 * One component's tracing. Not registered as the global tracer provider: the stack that `npm start`
 * and the tests run in one process holds three components, each with its own `service.name`, so each
 * hands its tracer to its own HTTP server and upstream kit. Only the context manager is global, as it
 * must be (one per process, shared by all).
 */
export function createTracing(config: TracingConfig, deps: TracingDeps = {}): Tracing {
  useAsyncLocalStorageContext();
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) });
  const processor =
    deps.spanProcessor ?? (config.exportUrl === null ? null : otlpProcessor(config.exportUrl));
  if (!processor) return { tracer: new PropagatingTracer(sampler), shutdown: async () => undefined };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler,
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer('switchyard'),
    shutdown: () =>
      provider.shutdown().catch((error: unknown) => {
        deps.logger?.warn(
          { err: String((error as Error)?.message ?? error) },
          'spans not exported at shutdown',
        );
      }),
  };
}

function otlpProcessor(url: string): SpanProcessor {
  // Loaded only when an endpoint is configured: about 17 MiB of resident memory per process
  // otherwise (bench/PROFILE.md, "Change 5").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof otlpModule;
  return new BatchSpanProcessor(new OTLPTraceExporter({ url }));
}

let contextManagerSet = false;

// AsyncLocalStorage carries the active span from the HTTP server through Apollo and the resolvers into
// the upstream kit and the log lines. If something else already registered a context manager, that one
// serves, and ours is switched off again.
function useAsyncLocalStorageContext(): void {
  if (contextManagerSet) return;
  const manager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(manager)) manager.disable();
  contextManagerSet = true;
}
