import { z } from 'zod';
import { env, parseEnv, type Env } from '../config/parseEnv';

export interface TracingConfig {
  /** `service.name` of every span this component exports. */
  serviceName: string;
  /**
   * Share of new traces sampled, 0 to 1. A trace that arrives with a `traceparent` keeps the caller's
   * decision whatever this says (parent-based sampling), so one trace is never half recorded.
   * @default 1
   */
  sampleRatio: number;
  /**
   * Where spans are sent (OTLP over HTTP, JSON). Null: nothing is recorded or exported, and W3C trace
   * context is still read and passed on, so log lines and other services keep one trace id.
   */
  exportUrl: string | null;
}

const ratio = z.coerce
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, 'must be a number from 0 to 1')
  .max(1, 'must be a number from 0 to 1')
  .optional();

// Only the parent-based samplers: a service in the middle of a trace must follow its caller.
const SAMPLERS = ['parentbased_traceidratio', 'parentbased_always_on', 'parentbased_always_off'] as const;

/**
 * The OpenTelemetry variables a component honours (the SDK's own names, so a platform's usual settings
 * work) plus TRACE_SAMPLE_RATIO, which wins over the OTEL_TRACES_SAMPLER pair when both are set.
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as-is; OTEL_EXPORTER_OTLP_ENDPOINT gets `/v1/traces`
 * appended, as the OTLP exporter specification says.
 */
export function parseTracingConfig(source: Env, defaultServiceName: string): Readonly<TracingConfig> {
  const parsed = parseEnv(
    {
      OTEL_SERVICE_NAME: env.string(defaultServiceName),
      OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.url().optional(),
      OTEL_TRACES_SAMPLER: z.enum(SAMPLERS, { error: `must be one of: ${SAMPLERS.join(', ')}` }).optional(),
      OTEL_TRACES_SAMPLER_ARG: ratio,
      TRACE_SAMPLE_RATIO: ratio,
    },
    source,
  );
  const base = parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  return Object.freeze({
    serviceName: parsed.OTEL_SERVICE_NAME,
    sampleRatio:
      parsed.TRACE_SAMPLE_RATIO ?? samplerRatio(parsed.OTEL_TRACES_SAMPLER, parsed.OTEL_TRACES_SAMPLER_ARG),
    exportUrl:
      parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (base === undefined ? null : `${base.replace(/\/+$/, '')}/v1/traces`),
  });
}

function samplerRatio(sampler: (typeof SAMPLERS)[number] | undefined, arg: number | undefined): number {
  if (sampler === 'parentbased_always_on') return 1;
  if (sampler === 'parentbased_always_off') return 0;
  // parentbased_traceidratio, or no sampler named: the ratio sampler is the only other one.
  return arg ?? 1;
}
