import { fieldUsageStacks } from '../../../bench/benchStacks';
import {
  buildFieldUsageComparison,
  formatFieldUsageComparison,
  interval95,
} from '../../../bench/fieldUsageReport';
import { rounds, run } from './runFixture';

const stacks = fieldUsageStacks('colocated', 'ours');
const [on, off] = stacks.map((s) => s.id) as [string, string];

describe("issue 24's figure: field usage counting on vs off in the same run", () => {
  it('takes the cost round by round, so drift common to both stacks cancels', () => {
    // The box slowed by half in round 2 for both; the counting costs 1 % in round 1 and 1.5 % in round 2.
    const comparison = buildFieldUsageComparison(stacks, {
      [on]: rounds([
        run({ rps: 100, cpu: 10.1, counted: 5_000 }),
        run({ rps: 50, cpu: 15.225, counted: 9_000 }),
      ]),
      [off]: rounds([run({ rps: 101, cpu: 10, counted: 0 }), run({ rps: 51, cpu: 15, counted: 0 })]),
    })!;
    expect(comparison.pairedCostPctByRound[0]).toBeCloseTo(1);
    expect(comparison.pairedCostPctByRound[1]).toBeCloseTo(1.5);
    expect(comparison.pairedCostPct).toBeCloseTo(1.25);
    expect(comparison.goal).toMatchObject({ op: '<=', bound: 2, met: true });
    expect(comparison.medianCostPct).toBeCloseTo((12.6625 / 12.5 - 1) * 100);
    expect(comparison.on).toMatchObject({ id: 'colocated+field-usage-on', counted: 9_000, errors: 0 });
    expect(comparison.off.counted).toBe(0);
    expect(comparison.countingChecked).toBe(true);
    // Rounds 1 and 1.5 points: a 95 % interval of ±0.49 points, narrow enough to tell 2 % apart.
    expect(comparison.noisePct).toBeCloseTo(0.49, 2);
    expect(comparison.resolved).toBe(true);
    expect(formatFieldUsageComparison(comparison, 2)).toContain(
      'the rounds resolve it: 95 % interval ±0.5 points',
    );
  });

  it('calls a verdict unresolved when the rounds scatter wider than the bound', () => {
    // This box on 2026-12-07: six rounds from -18 % to +6 %; the median says "met", the spread says nothing.
    const cpuOn = [10.6, 9.54, 8.16, 9.07, 10.63, 9.92];
    const comparison = buildFieldUsageComparison(stacks, {
      [on]: rounds(cpuOn.map((cpu) => run({ rps: 50, cpu, counted: 1 }))),
      [off]: rounds(cpuOn.map(() => run({ rps: 50, cpu: 10, counted: 0 }))),
    })!;
    expect(comparison.goal.met).toBe(true);
    expect(comparison.noisePct).toBeGreaterThan(2);
    expect(comparison.resolved).toBe(false);
    expect(formatFieldUsageComparison(comparison, 6)).toMatch(
      /UNRESOLVED: the rounds' 95 % interval is ±\d+\.\d points, wider than the 2 % bound/,
    );
  });

  it('takes 1.96 standard errors of the mean, and none from a single round', () => {
    expect(interval95([1, 1.5])).toBeCloseTo(1.96 * 0.25);
    expect(interval95([2, 2, 2])).toBe(0);
    expect(interval95([3])).toBeNaN();
  });

  it('fails the goal above 2 %, and says so', () => {
    const comparison = buildFieldUsageComparison(stacks, {
      [on]: rounds([run({ rps: 97, cpu: 10.3, counted: 10 })]),
      [off]: rounds([run({ rps: 100, cpu: 10, counted: 0 })]),
    })!;
    expect(comparison.pairedCostPct).toBeCloseTo(3);
    expect(comparison.goal.met).toBe(false);
    const text = formatFieldUsageComparison(comparison, 1);
    expect(text).toMatch(/stack CPU ms per page\s+10\.30\s+10\.00\s+\+3\.0 %/);
    expect(text).toMatch(/requests\/s\s+97\.0\s+100\.0\s+-3\.0 %/);
    expect(text).toContain('paired round by round (on ÷ off, stack CPU): +3.0 %; median +3.0 %');
    expect(text).toContain('goal: counting costs <= 2 % CPU per page (paired median +3.0 %): NOT met');
    expect(text).toContain('the counting ran with it on (counter > 0) and not with it off (counter 0)');
  });

  it('warns when the counter does not show the counting on in one stack and off in the other', () => {
    const noCounting = buildFieldUsageComparison(stacks, {
      [on]: rounds([run({ rps: 100, cpu: 10, counted: 0 })]),
      [off]: rounds([run({ rps: 100, cpu: 10, counted: 0 })]),
    })!;
    expect(noCounting.countingChecked).toBe(false);
    expect(formatFieldUsageComparison(noCounting, 1)).toContain('WARNING: the counter does not show');
    const offCounting = buildFieldUsageComparison(stacks, {
      [on]: rounds([run({ rps: 100, cpu: 10, counted: 7 })]),
      [off]: rounds([run({ rps: 100, cpu: 10, counted: 7 })]),
    })!;
    expect(offCounting.countingChecked).toBe(false);
  });

  it('has nothing to compare when one of the two stacks did not run', () => {
    expect(buildFieldUsageComparison(stacks, { [on]: rounds([run({ rps: 1, cpu: 1 })]) })).toBeUndefined();
  });
});
