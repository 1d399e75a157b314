import { readFileSync } from 'node:fs';
import { FIELD_USAGE_METRIC, type FieldUsage, type UsageEntry } from './FieldUsage';
import { entriesOfVector, UsageSourceError } from './usageFromPrometheus';

/**
 * Usage from a file: a saved Prometheus query answer (JSON, the shape `/api/v1/query` returns), or a
 * scrape of a gateway's `/metrics` (text exposition; its counts run since that gateway started).
 */
export function usageFromFile(path: string): FieldUsage {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageSourceError(`cannot read the usage file ${path} (${(error as Error).message})`);
  }
  if (text.trimStart().startsWith('{'))
    return { source: path, window: null, entries: entriesOfVector(text, path) };
  return { source: path, window: null, entries: entriesOfScrape(text) };
}

const SAMPLE = new RegExp(`^${FIELD_USAGE_METRIC}\\{([^}]*)\\}\\s+(\\S+)`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Sums the counter's samples per client and coordinate (over versions, components and instances). */
function entriesOfScrape(text: string): UsageEntry[] {
  const sums = new Map<string, UsageEntry>();
  for (const line of text.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const labels = new Map(
      [...sample[1]!.matchAll(LABEL)].map((m) => [m[1]!, m[2]!.replace(/\\(.)/g, '$1')]),
    );
    const client = labels.get('client');
    const coordinate = labels.get('coordinate');
    const count = Number(sample[2]);
    if (!client || !coordinate || !Number.isFinite(count)) continue;
    const key = `${client}\n${coordinate}`;
    const entry = sums.get(key) ?? { client, coordinate, count: 0 };
    entry.count += count;
    sums.set(key, entry);
  }
  return [...sums.values()];
}
