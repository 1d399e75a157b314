import { fieldUsageStacks } from '../../../bench/benchStacks';
import { buildFieldUsageComparison, formatFieldUsageComparison } from '../../../bench/fieldUsageReport';
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
