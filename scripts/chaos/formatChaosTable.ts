import type { ChaosReport } from './buildChaosReport';
import type { ExperimentResult } from './ExperimentRecord';

const MAX_CELL = 60;

/**
 * One row per experiment and check, one column per run: the figure, the bound it was judged
 * against (per run: relative bounds follow that run's own baseline) and ✗ where it missed. Figures
 * without a bound are context and stay in the JSON report.
 */
export function formatChaosTable(report: ChaosReport): string {
  const runs = report.runs.map((r) => r.results);
  const rows: string[][] = [['experiment / check', ...runs.map((_, i) => `run ${i + 1}`)]];
  for (const result of runs[0] ?? []) {
    const perRun = runs.map((run) => run.find((r) => r.id === result.id));
    rows.push([
      `${result.id} ${result.title}`,
      ...perRun.map(
        (r) => `${(r?.verdict ?? '-').toUpperCase()}${attemptNote(r?.earlierAttemptsMissed?.length ?? 0)}`,
      ),
    ]);
    for (const check of Object.keys(result.thresholds)) {
      rows.push([`  ${check}`, ...perRun.map((r) => cell(r, check))]);
    }
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) =>
    row
      .map((text, col) => text.padEnd(widths[col]!))
      .join('  ')
      .trimEnd();
  const verdict = report.pass
    ? 'PASS: every verdict passed in every run, and the runs agreed'
    : !report.verdictsMatch
      ? `FAIL: verdicts differ between runs (${report.disagreements.map((d) => d.id).join(', ')})`
      : runs.some((run) => run.some((r) => r.verdict === 'fail'))
        ? 'FAIL: some verdicts failed'
        : `FAIL: no experiment for ${report.uncovered.join(', ')}`;
  const summary = (report.uncovered ?? []).length
    ? [`targets without an experiment: ${report.uncovered.join(', ')}`]
    : [];
  return [...rows.map(line), '', ...summary, verdict].join('\n');
}

function cell(result: ExperimentResult | undefined, check: string): string {
  if (!result || !(check in result.thresholds)) return '-';
  const value = result.figures[check];
  const shown = typeof value === 'number' && !Number.isFinite(value) ? 'never' : String(value);
  const text = `${shown} (${result.thresholds[check]})${result.failed.includes(check) ? ' ✗' : ''}`;
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

const attemptNote = (earlier: number) => (earlier === 0 ? '' : ` (attempt ${earlier + 1})`);
