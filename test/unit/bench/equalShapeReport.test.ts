import {
  buildEqualShapeReport,
  goal,
  median,
  pairedByRound,
  type Comparison,
} from '../../../bench/equalShapeReport';
import { formatEqualShape } from '../../../bench/formatEqualShape';
import { summarize } from '../../../bench/roundsReport';
import type { StackRounds } from '../../../bench/runRounds';
import type { SubgraphClient } from '../../../bench/startStack';
import { rounds, run } from './runFixture';

function report(stacks: Partial<Record<SubgraphClient, StackRounds>>, learners = 598) {
  const summary = Object.fromEntries(Object.entries(stacks).map(([c, r]) => [c, summarize(r)]));
  return buildEqualShapeReport(summary, stacks, learners);
}

// Three rounds in which the box slowed down in round 2 for both stacks alike: the paired ratios see
// through it, the ratio of the medians does not.
const workers = rounds(
  [
    run({ rps: 150, cpu: 6, rss: { total: 690, largest: 300 } }),
    run({ rps: 60, cpu: 15, rss: { total: 700, largest: 320 } }),
    run({ rps: 100, cpu: 9, rss: { total: 650, largest: 310 } }),
  ],
  12,
);
const plainColocated = rounds(
  [
    run({ rps: 100, cpu: 10, rss: { total: 600, largest: 270 } }),
    run({ rps: 40, cpu: 25, rss: { total: 580, largest: 260 } }),
    run({ rps: 90, cpu: 10, rss: { total: 590, largest: 265 } }),
  ],
  16,
);
const plain = rounds([run({ rps: 80, cpu: 15 }), run({ rps: 30, cpu: 30 }), run({ rps: 75, cpu: 16 })], 24);
const kit = rounds(
  [run({ rps: 100, cpu: 12 }), run({ rps: 38, cpu: 24 }), run({ rps: 93.75, cpu: 12.8 })],
  18,
);

describe('the equal-shape report (issue 25)', () => {
  it('decides requests/s and CPU on the paired rounds, not on the ratio of the medians', () => {
    const { colocated } = report({ 'colocated-workers': workers, 'plain-colocated': plainColocated });
    expect(colocated!.paired.requestsPerSecByRound).toEqual([1.5, 1.5, 100 / 90]);
    expect(colocated!.paired.requestsPerSec).toBe(1.5);
    expect(colocated!.ratios.requestsPerSec).toBeCloseTo(100 / 90);
    expect(colocated!.paired.stackCpuByRound).toEqual([0.6, 0.6, 0.9]);
    expect(colocated!.paired.stackCpuMsPerQuery).toBe(0.6);
    expect(colocated!.ratios.stackCpuMsPerQuery).toBeCloseTo(0.9);
    const verdicts = Object.fromEntries(colocated!.goals.map((g) => [g.figure, [g.value, g.met]]));
    expect(verdicts).toEqual({
      'requests/s': [1.5, true],
      'stack CPU per page': [0.6, true],
      'unloaded p50': [0.75, true],
      // The highest of each deployment's sums over the rounds: 700 vs 600 MiB.
      'memory, deployment': [700 / 600, false],
      errors: [0, true],
    });
    expect(colocated!.memoryMb).toEqual({
      ours: { total: 700, largest: 320 },
      base: { total: 600, largest: 270 },
    });
    expect(colocated!.ratios.largestRssMb).toBeCloseTo(320 / 270);
  });

  it('fails the zero-errors goal on a single error of our deployment', () => {
    const failing = rounds([run({ rps: 150, cpu: 6, errors: 1 })], 12);
    const { colocated } = report({ 'colocated-workers': failing, 'plain-colocated': plainColocated });
    expect(colocated!.goals.find((g) => g.figure === 'errors')).toMatchObject({ value: 1, met: false });
  });

  it("sets today's headline (workers ÷ plain in separate processes) beside it, without goals", () => {
    const { headline, separate } = report({
      'colocated-workers': workers,
      'plain-colocated': plainColocated,
      plain,
      kit,
    });
    expect(headline).toMatchObject({ ours: 'colocated-workers', base: 'plain', goals: [] });
    expect(headline!.paired.requestsPerSecByRound).toEqual([150 / 80, 2, 100 / 75]);
    // Separate processes: kit ÷ plain, requests/s and CPU only.
    expect(separate!.goals.map((g) => [g.figure, g.op, g.bound, g.met])).toEqual([
      ['requests/s', '>=', 1.5, false],
      ['stack CPU per page', '<=', 0.6, false],
    ]);
    expect(separate!.paired.requestsPerSec).toBe(1.25);
    expect(separate!.paired.stackCpuMsPerQuery).toBe(0.8);
  });

  it('compares only the pairs whose two stacks ran, and says Hive Gateway was not measured', () => {
    const partial = report({ 'colocated-workers': workers, plain });
    expect(partial.colocated).toBeUndefined();
    expect(partial.separate).toBeUndefined();
    expect(partial.headline).toBeDefined();
    expect(partial.hive).toEqual({
      op: '>=',
      bound: 2.5,
      measured: false,
      why: 'BENCH_STACKS left colocated-workers or hive out',
    });
    const text = formatEqualShape(partial, 'V8 flags (ours)').join('\n');
    expect(text).toContain(
      'Hive Gateway, colocated-workers ÷ Hive requests/s >= 2.5: not measured (BENCH_STACKS left colocated-workers or hive out)',
    );
  });

  it('measures Hive Gateway on the paired requests/s: colocated-workers ÷ hive, goal >= 2.5', () => {
    // Hive slowed down with the box in round 2 like the workers: 2.5, 3, 2 round by round.
    const hive = rounds(
      [run({ rps: 60, cpu: 12 }), run({ rps: 20, cpu: 30 }), run({ rps: 50, cpu: 18 })],
      24,
    );
    const measured = report({ 'colocated-workers': workers, hive }).hive;
    expect(measured.measured).toBe(true);
    if (!measured.measured) return;
    expect(measured.comparison).toMatchObject({ ours: 'colocated-workers', base: 'hive' });
    expect(measured.comparison.paired.requestsPerSecByRound).toEqual([2.5, 3, 2]);
    expect(measured.goal).toEqual({ figure: 'requests/s', op: '>=', bound: 2.5, value: 2.5, met: true });
    const text = formatEqualShape(report({ 'colocated-workers': workers, hive }), 'V8 flags (ours)').join(
      '\n',
    );
    expect(text).toContain(
      'Hive Gateway, colocated-workers ÷ Hive requests/s >= 2.5: ×2.50 (paired median; rounds 2.50, 3.00, 2.00): met; ' +
        'stack CPU per page ×0.50 (rounds 0.50, 0.50, 0.50), unloaded p50 ×0.50',
    );
    const slower = rounds([run({ rps: 100, cpu: 6 }), run({ rps: 30, cpu: 15 }), run({ rps: 50, cpu: 9 })]);
    const notMet = report({ 'colocated-workers': workers, hive: slower }).hive;
    expect(notMet).toMatchObject({ measured: true, goal: { value: 2, met: false } });
    expect(formatEqualShape(report({ 'colocated-workers': workers, hive: slower }), '').join('\n')).toMatch(
      /Hive requests\/s >= 2\.5: ×2\.00 \(paired median; rounds 1\.50, 2\.00, 2\.00\): NOT met/,
    );
  });

  it('checks the workload: at least 500 learners, and legacy called at least once per page by every stack', () => {
    const cached = rounds([run({ rps: 300, cpu: 3, legacy: 0.4 })]);
    const ok = report({ 'colocated-workers': workers, plain }, 598).workload;
    expect(ok.learners).toMatchObject({ value: 598, met: true });
    expect(ok.legacyCallsPerPage).toMatchObject({ value: 1, met: true });
    const bad = report({ 'colocated-workers': workers, 'plain-colocated': cached }, 499).workload;
    expect(bad.learners.met).toBe(false);
    expect(bad.legacyCallsPerPage).toMatchObject({ value: 0.4, met: false, lowestStack: 'plain-colocated' });
  });

  it('prints every goal with its target and verdict, the rounds, and the memory in MiB', () => {
    const text = formatEqualShape(
      report({ 'colocated-workers': workers, 'plain-colocated': plainColocated, plain, kit }),
      'V8 flags (ours)',
    ).join('\n');
    expect(text).toMatch(
      /requests\/s \(paired median\)\s+×1\.50 \(rounds 1\.50, 1\.50, 1\.11\)\s+×1\.88\s+>= 1\.5\s+met/,
    );
    expect(text).toMatch(
      /stack CPU per page \(paired median\)\s+×0\.60 \(rounds 0\.60, 0\.60, 0\.90\)\s+×0\.50\s+<= 0\.6\s+met/,
    );
    expect(text).toMatch(
      /memory, deployment \(sum of peak RSS\)\s+×1\.17 \(700 vs 600 MiB\)\s+\S+\s+<= 1\.0\s+NOT met/,
    );
    expect(text).toMatch(/memory, largest process\s+×1\.19 \(320 vs 270 MiB\)/);
    expect(text).toMatch(/errors, colocated-workers\s+0\s+= 0\s+met/);
    expect(text).toContain('requests/s ×1.25 (rounds 1.25, 1.27, 1.25) >= 1.5: NOT met');
    expect(text).toContain('Hive requests/s >= 2.5: not measured (BENCH_STACKS left');
    expect(text).toContain('598 learners in the load (>= 500): met');
  });
});

describe('the ratio arithmetic', () => {
  it('meets a goal at its bound and never on a ratio that could not be taken', () => {
    expect(goal('requests/s', '>=', 1.5, 1.5).met).toBe(true);
    expect(goal('requests/s', '>=', 1.5, 1.49).met).toBe(false);
    expect(goal('stack CPU per page', '<=', 0.6, 0.6).met).toBe(true);
    expect(goal('stack CPU per page', '<=', 0.6, 0.61).met).toBe(false);
    expect(goal('stack CPU per page', '<=', 0.6, Number.NaN).met).toBe(false);
    expect(goal('requests/s', '>=', 1.5, Number.POSITIVE_INFINITY).met).toBe(false);
  });

  it('takes the median of odd and even counts, and none of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('pairs rounds by index over the rounds both stacks ran', () => {
    const ratios = pairedByRound(
      [run({ rps: 10, cpu: 1 }), run({ rps: 30, cpu: 1 }), run({ rps: 5, cpu: 1 })],
      [run({ rps: 5, cpu: 1 }), run({ rps: 10, cpu: 1 })],
      (r) => r.requestsPerSec,
    );
    expect(ratios).toEqual([2, 3]);
    const zero = pairedByRound(
      [run({ rps: 10, cpu: 1 })],
      [run({ rps: 0, cpu: 1 })],
      (r) => r.requestsPerSec,
    );
    expect(zero[0]).toBeNaN();
  });
});

// Keeps the fixture's Comparison type honest against the module's.
export type Checked = Comparison;
