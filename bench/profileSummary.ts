import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './measureRun';
import type { RoundsResult } from './runRounds';
import type { ComponentName } from './startStack';

// BENCH_PROFILE=1: each process ran with --cpu-prof for its whole life. Only the samples inside the
// measured windows count (startup, composition and warm-up left out), split into the healthy rounds
// and, for the kit, the fail-fast window; self time per function, and per package or folder.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Window {
  startedAtMs: number;
  endedAtMs: number;
}

const TOP = 15;
const ROOT = join(__dirname, '..', '..');

/** `node_modules/<package>` or our top folder, `node:…` internals, or V8's own pseudo-frames. */
function areaOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`.replace('((', '(').replace('))', ')');
  const path = url.replace(/^file:\/\//, '');
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (module) return module[1]!;
  if (path.startsWith('node:')) return path.split('/')[0]!;
  const ours = path.startsWith(ROOT) ? path.slice(ROOT.length + 1).replace(/^dist\//, '') : path;
  return ours.split('/')[0]!;
}

function where(url: string, line: number): string {
  const path = url.replace(/^file:\/\//, '');
  const short = path.startsWith(ROOT) ? path.slice(ROOT.length + 1).replace(/^dist\//, '') : path;
  return short ? `${short}:${line + 1}` : '';
}

/** Self time (ms) per function and per area over the samples inside the windows. */
export function selfTimes(profile: CpuProfile, spawnedAtMs: number, windows: readonly Window[]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const wallMs = spawnedAtMs + (t - profile.startTime) / 1000;
    if (!windows.some((w) => wallMs >= w.startedAtMs && wallMs <= w.endedAtMs)) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const ms = delta / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += ms;
    const key = `${functionName || '(anonymous)'}\t${where(url, lineNumber)}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { total, functions: top(functions), areas: top(areas) };
}

function table(
  title: string,
  total: number,
  queries: number,
  rows: [string, number][],
  split: boolean,
): string[] {
  const head = split
    ? '| self % | µs/query | function | file |\n|---:|---:|---|---|'
    : '| self % | µs/query | area |\n|---:|---:|---|';
  return [
    `**${title}**`,
    '',
    head,
    ...rows.map(([key, ms]) => {
      const cells = split ? key.split('\t') : [key];
      return `| ${((100 * ms) / total).toFixed(1)} | ${((1000 * ms) / Math.max(1, queries)).toFixed(0)} | ${cells.map((c) => `\`${c}\``).join(' | ')} |`;
    }),
    '',
  ];
}

/** Summarizes every `<stack>-<component>.cpuprofile` of the run into markdown, also written to summary.md. */
export function summarizeProfiles(dir: string, result: RoundsResult): string {
  const out: string[] = [];
  // By stack id (runRounds: the client, or with its flag set or variation), as the files are named.
  const phases: [label: string, stack: string, runs: RunResult[]][] = [];
  for (const [stack, rounds] of Object.entries(result.stacks))
    phases.push([`${stack}, healthy page`, stack, rounds.rounds]);
  for (const [stack, failFast] of Object.entries(result.failFast))
    phases.push([`${stack}, fail-fast (legacy breaker open)`, stack, [failFast.run]]);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const [label, stack, runs] of phases) {
    const windows = runs.map((r) => r.window!).filter(Boolean);
    const queries = runs.reduce((sum, r) => sum + r.load.completed, 0);
    out.push(`### ${label} (${queries} queries)`, '');
    for (const component of ['gateway', 'orders', 'catalog'] as ComponentName[]) {
      const file = files.find((f) => f === `${stack}-${component}.cpuprofile`);
      const spawned = result.spawnedAt[stack]?.[component];
      if (!file || spawned === undefined) continue;
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      const { total, functions, areas } = selfTimes(profile, spawned, windows);
      const perQuery = (total / Math.max(1, queries)).toFixed(2);
      out.push(`#### ${component}: ${total.toFixed(0)} ms sampled, ${perQuery} ms per query`, '');
      out.push(...table('by package / folder', total, queries, areas, false));
      out.push(...table(`top ${TOP} functions (self time)`, total, queries, functions, true));
    }
  }
  const text = out.join('\n');
  writeFileSync(join(dir, 'summary.md'), `${text}\n`);
  return text;
}
