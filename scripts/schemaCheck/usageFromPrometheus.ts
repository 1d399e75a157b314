import { z } from 'zod';
import { FIELD_USAGE_METRIC, type FieldUsage, type UsageEntry } from './FieldUsage';

/** A failure reading usage: the check stops rather than pass a change on figures it does not have. */
export class UsageSourceError extends Error {
  override readonly name = 'UsageSourceError';
}

// Prometheus' instant-query answer (https://prometheus.io/docs/prometheus/latest/querying/api/).
const vectorAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        value: z.tuple([z.number(), z.string()]),
      }),
    ),
  }),
});

/** Far above what a schema's coordinates times the listed clients can produce; a bigger answer is not ours. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

async function boundedText(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new UsageSourceError(`Prometheus answered more than ${max} bytes`);
    }
    chunks.push(value);
  }
}

export const WINDOW = /^[1-9][0-9]{0,4}[smhdw]$/;

/**
 * Usage over `window` from Prometheus' HTTP API: one instant query summing the counter's increase
 * per client and coordinate across every gateway instance and client version.
 */
export async function usageFromPrometheus(
  baseUrl: string,
  window: string,
  options: { timeoutMs?: number } = {},
): Promise<FieldUsage> {
  if (!WINDOW.test(window)) throw new UsageSourceError(`usage window "${window}" is not a duration like 7d`);
  const query = `sum by (client, coordinate) (increase(${FIELD_USAGE_METRIC}[${window}]))`;
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    text = await boundedText(response, MAX_ANSWER_BYTES);
    if (!response.ok)
      throw new UsageSourceError(
        `Prometheus at ${url.origin} answered ${response.status}: ${text.slice(0, 200)}`,
      );
  } catch (error) {
    if (error instanceof UsageSourceError) throw error;
    throw new UsageSourceError(`Prometheus at ${url.origin} did not answer: ${(error as Error).message}`);
  }
  return { source: url.origin, window, entries: entriesOfVector(text, `Prometheus at ${url.origin}`) };
}

/** The entries of a Prometheus vector answer (an HTTP answer, or one saved to a file). */
export function entriesOfVector(text: string, from: string): UsageEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageSourceError(`${from} did not answer JSON`);
  }
  const parsed = vectorAnswer.safeParse(json);
  if (!parsed.success)
    throw new UsageSourceError(
      `${from} did not answer a Prometheus vector (${parsed.error.issues[0]!.message})`,
    );
  const entries: UsageEntry[] = [];
  for (const sample of parsed.data.data.result) {
    const { client, coordinate } = sample.metric;
    const count = Number(sample.value[1]);
    if (client && coordinate && Number.isFinite(count)) entries.push({ client, coordinate, count });
  }
  return entries;
}
