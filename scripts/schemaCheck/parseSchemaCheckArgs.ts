import type { ReportFormat } from './formatReport';
import { WINDOW } from './usageFromPrometheus';

export interface SchemaCheckArgs {
  subgraph: string;
  sdlFile: string;
  format: ReportFormat;
  /** Overrides PERSISTED_QUERY_MANIFESTS_DIR. */
  manifestsDir: string | null;
  /** The supergraph clients see today. @default schema/supergraph.graphql */
  supergraphFile: string | null;
  usagePrometheus: string | null;
  usageWindow: string;
  usageFile: string | null;
  usageMinCount: number;
}

/** Wrong arguments: the CLI prints the message and the usage, and exits 3. */
export class ArgumentsError extends Error {
  override readonly name = 'ArgumentsError';
}

export const USAGE = `usage: npm run schema:check -- <subgraph> <sdl-file> [options]
  --format text|markdown|json   output (default text)
  --manifests <dir>             registered manifests, <client>.json each (default PERSISTED_QUERY_MANIFESTS_DIR or persisted-queries/)
  --supergraph <file>           the supergraph clients see today (default schema/supergraph.graphql)
  --usage-prometheus <url>      read field usage from Prometheus' HTTP API
  --usage-window <duration>     the window for Prometheus, e.g. 7d (default 30d)
  --usage-file <file>           read field usage from a /metrics scrape or a saved /api/v1/query answer
  --usage-min-count <n>         a coordinate counted fewer times is unused (default 1)
exit: 0 pass, 1 breaks a known client, 2 does not compose, 3 bad arguments or unreadable input`;

const VALUED = [
  '--format',
  '--manifests',
  '--supergraph',
  '--usage-prometheus',
  '--usage-window',
  '--usage-file',
  '--usage-min-count',
];

export function parseSchemaCheckArgs(argv: readonly string[]): SchemaCheckArgs {
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!VALUED.includes(name!)) throw new ArgumentsError(`unknown option ${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new ArgumentsError(`${name} needs a value`);
    values.set(name!, value);
  }
  if (positional.length !== 2)
    throw new ArgumentsError(`expected <subgraph> <sdl-file>, got ${positional.length} arguments`);
  const format = values.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json') {
    throw new ArgumentsError(`--format must be text, markdown or json, not "${format}"`);
  }
  const window = values.get('--usage-window') ?? '30d';
  if (!WINDOW.test(window))
    throw new ArgumentsError(`--usage-window must be a duration like 7d or 12h, not "${window}"`);
  const minCount = Number(values.get('--usage-min-count') ?? '1');
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new ArgumentsError('--usage-min-count must be a whole number >= 1');
  const prometheus = values.get('--usage-prometheus') ?? null;
  if (prometheus !== null && !/^https?:\/\/[^/]/.test(prometheus)) {
    throw new ArgumentsError(`--usage-prometheus must be an http(s) URL, not "${prometheus}"`);
  }
  if (prometheus !== null && values.has('--usage-file'))
    throw new ArgumentsError('--usage-prometheus and --usage-file: give one');
  return {
    subgraph: positional[0]!,
    sdlFile: positional[1]!,
    format,
    manifestsDir: values.get('--manifests') ?? null,
    supergraphFile: values.get('--supergraph') ?? null,
    usagePrometheus: prometheus,
    usageWindow: window,
    usageFile: values.get('--usage-file') ?? null,
    usageMinCount: minCount,
  };
}
