import { join } from 'node:path';

// Self and inclusive time of one .cpuprofile inside measured windows, per area (a package under
// node_modules, our top folder, node: internals, V8's pseudo-frames) and per function: the
// inclusive figures show what a whole subsystem costs (graphql-js execution under Apollo's pipeline,
// @apollo/gateway's planning and result shaping) where self time scatters it over small functions.

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = join(__dirname, '..', '..');
const TOP = 20;

function areaOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`.replace('((', '(').replace('))', ')');
  const path = url.replace(/^file:\/\//, '');
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (module) return module[1]!;
  if (path.startsWith('node:')) return path.split('/')[0]!;
  const ours = path.replace(/^.*\/dist\//, '').replace(ROOT + '/', '');
  // Our modules by folder and file's folder: gateway/plugins, subgraphs/orders, platform/graphql …
  return ours.split('/').slice(0, 2).join('/').replace(/\.js$/, '');
}

function functionKey(url: string, functionName: string, line: number): string {
  const path = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, '');
  return `${functionName || '(anonymous)'}\t${path ? `${path}:${line + 1}` : ''}`;
}

export function summarizeCpuProfile(
  profile: CpuProfile,
  spawnedAtMs: number,
  windows: readonly { startedAtMs: number; endedAtMs: number }[],
  queries: number,
): string {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfArea = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const wallMs = spawnedAtMs + (t - profile.startTime) / 1000;
    if (!windows.some((w) => wallMs >= w.startedAtMs && wallMs <= w.endedAtMs)) continue;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    const ms = delta / 1000;
    total += ms;
    const { url, functionName, lineNumber } = leaf.callFrame;
    add(selfArea, areaOf(url, functionName), ms);
    add(selfFn, functionKey(url, functionName, lineNumber), ms);
    // Inclusive: every area and function on the stack, each once per sample (recursion counted once).
    const areas = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName === '(root)') continue;
      areas.add(areaOf(f.url, f.functionName));
      fns.add(functionKey(f.url, f.functionName, f.lineNumber));
    }
    for (const a of areas) add(inclArea, a, ms);
    for (const f of fns) add(inclFn, f, ms);
  }
  const rows = (m: Map<string, number>, top = TOP) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, ms]) =>
          `| ${((100 * ms) / total).toFixed(1)} | ${((1000 * ms) / Math.max(1, queries)).toFixed(0)} | ${k
            .split('\t')
            .map((c) => `\`${c}\``)
            .join(' | ')} |`,
      );
  return [
    `${total.toFixed(0)} ms sampled in the windows, ${(total / Math.max(1, queries)).toFixed(2)} ms per query (all processes' queries)`,
    '',
    '| self % | µs/query | area |',
    '|---:|---:|---|',
    ...rows(selfArea),
    '',
    '| inclusive % | µs/query | area |',
    '|---:|---:|---|',
    ...rows(inclArea),
    '',
    '| self % | µs/query | function | file |',
    '|---:|---:|---|---|',
    ...rows(selfFn, 30),
    '',
    '| inclusive % | µs/query | function | file |',
    '|---:|---:|---|---|',
    ...rows(inclFn, 40),
  ].join('\n');
}
