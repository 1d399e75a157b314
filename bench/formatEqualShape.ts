import type { Comparison, EqualShapeReport, Figure, Goal, HiveComparison } from './equalShapeReport';

// Issue 25's comparison as printed after a run: the equal-shape ratios beside today's headline, each
// goal with met / NOT met, and the workload's own conditions.

const x = (n: number) => (Number.isFinite(n) ? `×${n.toFixed(2)}` : '—');
const verdict = (g: Goal | undefined) => (g ? (g.met ? 'met' : 'NOT met') : '');
// Ratios with one decimal (≤ 1.0×), counts as they are (0 errors, 500 learners).
const target = (g: Goal | undefined) =>
  g
    ? `${g.op} ${g.figure === 'errors' || g.figure === 'learners in the load' ? g.bound : g.bound.toFixed(1)}`
    : '';
const rounds = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');

function goalOf(c: Comparison | undefined, figure: Figure): Goal | undefined {
  return c?.goals.find((g) => g.figure === figure);
}

function table(equal: Comparison | undefined, headline: Comparison | undefined): string[] {
  const rows: [string, string, string, Goal | undefined][] = [
    [
      'requests/s (paired median)',
      equal
        ? `${x(equal.paired.requestsPerSec)} (rounds ${rounds(equal.paired.requestsPerSecByRound)})`
        : '—',
      headline ? x(headline.paired.requestsPerSec) : '—',
      goalOf(equal, 'requests/s'),
    ],
    [
      'stack CPU per page (paired median)',
      equal ? `${x(equal.paired.stackCpuMsPerQuery)} (rounds ${rounds(equal.paired.stackCpuByRound)})` : '—',
      headline ? x(headline.paired.stackCpuMsPerQuery) : '—',
      goalOf(equal, 'stack CPU per page'),
    ],
    [
      'unloaded p50 (medians)',
      equal ? x(equal.ratios.unloadedP50Ms) : '—',
      headline ? x(headline.ratios.unloadedP50Ms) : '—',
      goalOf(equal, 'unloaded p50'),
    ],
    [
      'memory, deployment (sum of peak RSS)',
      equal
        ? `${x(equal.ratios.deploymentRssMb)} (${equal.memoryMb.ours.total.toFixed(0)} vs ${equal.memoryMb.base.total.toFixed(0)} MiB)`
        : '—',
      headline ? x(headline.ratios.deploymentRssMb) : '—',
      goalOf(equal, 'memory, deployment'),
    ],
    [
      'memory, largest process',
      equal
        ? `${x(equal.ratios.largestRssMb)} (${equal.memoryMb.ours.largest.toFixed(0)} vs ${equal.memoryMb.base.largest.toFixed(0)} MiB)`
        : '—',
      headline ? x(headline.ratios.largestRssMb) : '—',
      undefined,
    ],
  ];
  const errors = goalOf(equal, 'errors');
  const header: [string, string, string, string, string] = [
    '',
    'equal shape: workers ÷ plain-colocated',
    "today's: workers ÷ plain",
    'goal',
    'verdict',
  ];
  const cells = [
    header,
    ...rows.map(([label, a, b, g]): [string, string, string, string, string] => [
      label,
      a,
      b,
      target(g),
      verdict(g),
    ]),
    ...(errors
      ? [['errors, colocated-workers', String(errors.value), '', '= 0', verdict(errors)] as typeof header]
      : []),
  ];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('   ')
      .trimEnd(),
  );
}

/** The Hive Gateway line: the paired requests/s ratio with its rounds and verdict, or why not measured. */
function hiveLine(hive: HiveComparison): string {
  const head = `Hive Gateway, colocated-workers ÷ Hive requests/s ${hive.op} ${hive.bound}`;
  if (!hive.measured) return `${head}: not measured (${hive.why})`;
  const { paired, ratios } = hive.comparison;
  return (
    `${head}: ${x(paired.requestsPerSec)} (paired median; rounds ${rounds(paired.requestsPerSecByRound)}): ` +
    `${verdict(hive.goal)}; stack CPU per page ${x(paired.stackCpuMsPerQuery)} ` +
    `(rounds ${rounds(paired.stackCpuByRound)}), unloaded p50 ${x(ratios.unloadedP50Ms)}`
  );
}

/** The equal-shape section of one flag set; `flags` says which flags every stack ran with. */
export function formatEqualShape(report: EqualShapeReport, flags: string): string[] {
  const { colocated, headline, separate, hive, workload } = report;
  const separateLines = separate
    ? [
        'separate processes, kit ÷ plain (paired medians):',
        ...separate.goals.map(
          (g) =>
            `  ${g.figure} ${x(g.value)} (rounds ${rounds(
              g.figure === 'requests/s'
                ? separate.paired.requestsPerSecByRound
                : separate.paired.stackCpuByRound,
            )}) ${target(g)}: ${verdict(g)}`,
        ),
      ]
    : ['separate processes, kit ÷ plain: not measured (BENCH_STACKS left one out)'];
  const { learners, legacyCallsPerPage: legacy } = workload;
  return [
    `issue 25, equal footing. ${flags}`,
    ...(colocated || headline
      ? table(colocated, headline)
      : ['co-located, workers ÷ plain-colocated: not measured (BENCH_STACKS left one out)']),
    ...separateLines,
    hiveLine(hive),
    `workload: ${learners.value} learners in the load (${target(learners)}): ${verdict(learners)}; ` +
      `legacy calls per page on every stack (lowest ${legacy.value.toFixed(2)}, ${legacy.lowestStack}; ` +
      `${target(legacy)}, so no cache answered a page): ${verdict(legacy)}; no response cache in any stack`,
  ];
}
