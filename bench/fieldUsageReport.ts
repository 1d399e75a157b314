import type { BenchStack } from './benchStacks';
import { goal, median, pairedByRound, type Goal } from './equalShapeReport';
import type { RunResult } from './measureRun';
import { ratio } from './report';
import { stackCpu, summarize, type StackSummary } from './roundsReport';
import type { StackRounds } from './runRounds';

/**
 * Issue 24's figure: what counting field usage per client costs the page, from one run where the same
 * deployment ran with the counting on and off in alternating rounds (two sequential runs drifted
 * 25–30 % on the development box, far more than the 2 % to be shown). Pure: rounds in, figures out.
 */

/** The bound: CPU per page with the counting at most 2 % above without. */
export const FIELD_USAGE_MAX_COST_PCT = 2;

export interface FieldUsageSide {
  id: string;
  stackCpuMsPerQuery: number;
  gatewayCpuMsPerQuery: number;
  requestsPerSec: number;
  errors: number;
  /** The gateway's switchyard_field_usage_total after the last round: > 0 on, 0 off. */
  counted: number | undefined;
  summary: StackSummary;
}

export interface FieldUsageComparison {
  on: FieldUsageSide;
  off: FieldUsageSide;
  /** (on ÷ off − 1) × 100 of the medians over rounds. */
  medianCostPct: number;
  /** The same round by round (each on/off pair measured back to back), and their median: the verdict. */
  pairedCostPctByRound: number[];
  pairedCostPct: number;
  /**
   * Half-width of a 95 % interval around the paired rounds' mean (1.96 standard errors), in points:
   * the noise of this run. When it is wider than the bound, the verdict is the box's noise, not the
   * counting's cost (NaN with fewer than two rounds).
   */
  noisePct: number;
  /** The run can tell the bound apart: noisePct <= FIELD_USAGE_MAX_COST_PCT. */
  resolved: boolean;
  goal: Goal;
  /** The counting ran with it on and not with it off: else the figure measured nothing. */
  countingChecked: boolean;
}

const pct = (r: number) => (r - 1) * 100;

function side(stack: BenchStack, rounds: StackRounds): FieldUsageSide {
  const summary = summarize(rounds);
  return {
    id: stack.id,
    stackCpuMsPerQuery: summary.stackCpuMsPerQuery,
    gatewayCpuMsPerQuery: summary.cpuMsPerQuery.gateway ?? 0,
    requestsPerSec: summary.requestsPerSec,
    errors: summary.errors,
    counted: summary.fieldUsageCounted,
    summary,
  };
}

/** On ÷ off for the stacks fieldUsageStacks() made; undefined if either did not run. */
export function buildFieldUsageComparison(
  stacks: readonly BenchStack[],
  rounds: Readonly<Record<string, StackRounds>>,
): FieldUsageComparison | undefined {
  const onStack = stacks.find((s) => s.variant === 'field-usage-on');
  const offStack = stacks.find((s) => s.variant === 'field-usage-off');
  const onRounds = onStack && rounds[onStack.id];
  const offRounds = offStack && rounds[offStack.id];
  if (!onStack || !offStack || !onRounds || !offRounds) return undefined;
  const on = side(onStack, onRounds);
  const off = side(offStack, offRounds);
  const byRound = pairedByRound(onRounds.rounds, offRounds.rounds, (r: RunResult) => stackCpu(r)).map(pct);
  const pairedCostPct = median(byRound);
  const noisePct = interval95(byRound);
  return {
    on,
    off,
    medianCostPct: pct(ratio(on.stackCpuMsPerQuery, off.stackCpuMsPerQuery)),
    pairedCostPctByRound: byRound,
    pairedCostPct,
    noisePct,
    resolved: noisePct <= FIELD_USAGE_MAX_COST_PCT,
    goal: goal('stack CPU per page', '<=', FIELD_USAGE_MAX_COST_PCT, pairedCostPct),
    countingChecked: (on.counted ?? 0) > 0 && off.counted === 0,
  };
}

/** 1.96 standard errors of the mean of `values` (sample standard deviation); NaN below two values. */
export function interval95(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return (1.96 * Math.sqrt(variance)) / Math.sqrt(values.length);
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`;

/** The comparison as printed after the run. */
export function formatFieldUsageComparison(c: FieldUsageComparison, rounds: number): string {
  const row = (label: string, on: string, off: string, diff = '') =>
    `${label.padEnd(28)}${on.padStart(14)}${off.padStart(15)}${diff.padStart(12)}`;
  const d = (on: number, off: number) => signed(pct(ratio(on, off)));
  return [
    `field usage counting (issue 24): ${c.on.id} vs ${c.off.id}, ${rounds} alternating round(s), same run`,
    row('', 'counting on', 'counting off', 'on ÷ off'),
    row(
      'stack CPU ms per page',
      c.on.stackCpuMsPerQuery.toFixed(2),
      c.off.stackCpuMsPerQuery.toFixed(2),
      d(c.on.stackCpuMsPerQuery, c.off.stackCpuMsPerQuery),
    ),
    row(
      '  of it gateway',
      c.on.gatewayCpuMsPerQuery.toFixed(2),
      c.off.gatewayCpuMsPerQuery.toFixed(2),
      d(c.on.gatewayCpuMsPerQuery, c.off.gatewayCpuMsPerQuery),
    ),
    row(
      'requests/s',
      c.on.requestsPerSec.toFixed(1),
      c.off.requestsPerSec.toFixed(1),
      d(c.on.requestsPerSec, c.off.requestsPerSec),
    ),
    row('errors', String(c.on.errors), String(c.off.errors)),
    row('field usage counted', String(c.on.counted ?? '—'), String(c.off.counted ?? '—')),
    `paired round by round (on ÷ off, stack CPU): ${c.pairedCostPctByRound.map(signed).join(', ')}; ` +
      `median ${signed(c.pairedCostPct)}`,
    `goal: counting costs <= ${FIELD_USAGE_MAX_COST_PCT} % CPU per page (paired median ${signed(c.pairedCostPct)}): ` +
      `${c.goal.met ? 'met' : 'NOT met'}`,
    c.resolved
      ? `the rounds resolve it: 95 % interval ±${c.noisePct.toFixed(1)} points`
      : `UNRESOLVED: the rounds' 95 % interval is ±${Number.isFinite(c.noisePct) ? c.noisePct.toFixed(1) : '?'} ` +
        `points, wider than the ${FIELD_USAGE_MAX_COST_PCT} % bound: the verdict is this box's noise; ` +
        'more or longer rounds on a quieter machine',
    c.countingChecked
      ? 'the counting ran with it on (counter > 0) and not with it off (counter 0)'
      : 'WARNING: the counter does not show the counting on in one stack and off in the other; the figure measured nothing',
  ].join('\n');
}
