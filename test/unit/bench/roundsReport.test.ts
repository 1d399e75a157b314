import { benchStacks, flagSetsOf } from '../../../bench/benchStacks';
import { formatRoundsReport, ratioCell } from '../../../bench/formatRoundsReport';
import { buildRoundsReport, type RoundsReport } from '../../../bench/roundsReport';
import type { RoundsResult } from '../../../bench/runRounds';
import { SWITCHYARD_NODE_OPTIONS } from '../../../platform/nodeOptions';
import { rounds, run } from './runFixture';

const CONFIG: RoundsReport['config'] = {
  connections: 50,
  durationS: 5,
  warmupS: 3,
  upstreamLatencyMs: 2,
  rounds: 1,
  learners: 600,
  unloadedS: 3,
  failFastS: 0,
  loadLearners: 598,
  query: 'query OrderHistory { __typename }',
  v8Flags: 'both',
};

const stacks = benchStacks(['colocated-workers', 'plain-colocated'], flagSetsOf('both'));
const result: RoundsResult = {
  stacks: {
    'colocated-workers': rounds([run({ rps: 160, cpu: 6, rss: { total: 700, largest: 320 } })], 12),
    'plain-colocated': rounds([run({ rps: 100, cpu: 10, rss: { total: 600, largest: 270 } })], 16),
    'colocated-workers@none': rounds([run({ rps: 120, cpu: 8, rss: { total: 650, largest: 300 } })], 14),
    'plain-colocated@none': rounds([run({ rps: 100, cpu: 10, rss: { total: 600, largest: 270 } })], 16),
  },
  failFast: {},
  checkedLearners: ['learner1'],
  spawnedAt: {},
};

describe('the rounds report with both V8 flag sets', () => {
  const report = buildRoundsReport(CONFIG, result, stacks, new Date('2026-12-07T05:00:00Z'));

  it('keeps every stack by id with the flags it ran with, and compares each flag set within itself', () => {
    expect(Object.keys(report.summary).sort()).toEqual([
      'colocated-workers',
      'colocated-workers@none',
      'plain-colocated',
      'plain-colocated@none',
    ]);
    expect(report.stacksRun.map((s) => [s.id, s.nodeOptions])).toEqual([
      ['colocated-workers', SWITCHYARD_NODE_OPTIONS],
      ['plain-colocated', SWITCHYARD_NODE_OPTIONS],
      ['colocated-workers@none', ''],
      ['plain-colocated@none', ''],
    ]);
    expect(report.equalShape.ours!.colocated!.paired.requestsPerSec).toBe(1.6);
    expect(report.equalShape.none!.colocated!.paired.requestsPerSec).toBe(1.2);
    expect(report.equalShape.ours!.colocated!.ratios.deploymentRssMb).toBeCloseTo(700 / 600);
    expect(report.summary['colocated-workers']!.stackRssMb).toEqual({ total: 700, largest: 320 });
  });

  it('prints one table per flag set, saying which flags, and the equal-shape verdicts of each', () => {
    const text = formatRoundsReport(report);
    expect(text).toContain(
      `V8 flags (ours): NODE_OPTIONS=${SWITCHYARD_NODE_OPTIONS} for every stack's processes`,
    );
    expect(text).toContain("V8 flags (none): Node's defaults for every stack's processes");
    expect(text.match(/workers\/plain-col/g)).toHaveLength(2);
    expect(text).toMatch(/requests\/s\s+160\.0\s+100\.0\s+1\.60/);
    expect(text).toMatch(/deployment \(sum of its processes\)\s+700\s+600\s+1\.17/);
    // Neither co-located stack has an orders process: no ratio, a dash.
    expect(text).toMatch(/ {2}orders\s+0\.00\s+0\.00\s+—/);
    expect(text.match(/issue 25, equal footing/g)).toHaveLength(2);
    expect(text).toMatch(/requests\/s \(paired median\)\s+×1\.60 \(rounds 1\.60\)\s+—\s+>= 1\.5\s+met/);
    expect(text).toMatch(/requests\/s \(paired median\)\s+×1\.20 \(rounds 1\.20\)\s+—\s+>= 1\.5\s+NOT met/);
  });

  it('shows a dash for a ratio that cannot be taken', () => {
    expect(ratioCell(0, 0)).toBe('—');
    expect(ratioCell(3, 2)).toBe('1.50');
  });
});
