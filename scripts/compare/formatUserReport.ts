import type { OrderListDiff } from '../../subgraphs/orders/layers/shadow/diffOrderLists';
import type { WholeHistory } from './readWholeHistory';

export interface UserComparison {
  username: string;
  primary: { mode: string; history: WholeHistory };
  shadow: { mode: string; history: WholeHistory };
  diff: OrderListDiff;
}

/** Examples shown per user, and numbers listed per "only in" line: enough to start looking. */
const EXAMPLES = 5;

export function hasDifferences({ diff, primary, shadow }: UserComparison): boolean {
  return (
    diff.mismatched.length + diff.missingInShadow.length + diff.missingInPrimary.length > 0 ||
    primary.history.count !== shadow.history.count
  );
}

/** A few lines per user: sizes, tallies, per-field counts, then examples with both values. */
export function formatUserReport(comparison: UserComparison): string {
  const { username, primary, shadow, diff } = comparison;
  const [a, b] = [primary.mode, shadow.mode];
  const lines = [
    `${username}: ${a} ${primary.history.count} orders, ${b} ${shadow.history.count} orders — ` +
      (hasDifferences(comparison) ? 'DIFFERENT' : 'identical'),
    `  matched ${diff.matched.length}, differing ${diff.mismatched.length}, ` +
      `only in ${a} ${diff.missingInShadow.length}, only in ${b} ${diff.missingInPrimary.length}`,
  ];
  const fields = Object.entries(diff.fields).filter(([, c]) => c.mismatch > 0);
  if (fields.length > 0) {
    lines.push(`  field mismatches: ${fields.map(([field, c]) => `${field} ${c.mismatch}`).join(', ')}`);
  }
  for (const { number, differences } of diff.mismatched.slice(0, EXAMPLES)) {
    for (const d of differences) {
      lines.push(`    ${number} ${d.field}: ${a} ${show(d.primary)} vs ${b} ${show(d.shadow)}`);
    }
  }
  if (diff.mismatched.length > EXAMPLES)
    lines.push(`    … ${diff.mismatched.length - EXAMPLES} more differing orders`);
  if (diff.missingInShadow.length > 0) lines.push(`  only in ${a}: ${listed(diff.missingInShadow)}`);
  if (diff.missingInPrimary.length > 0) lines.push(`  only in ${b}: ${listed(diff.missingInPrimary)}`);
  return lines.join('\n');
}

const show = (value: unknown) => JSON.stringify(value);

function listed(numbers: readonly string[]): string {
  const more = numbers.length - EXAMPLES;
  return numbers.slice(0, EXAMPLES).join(', ') + (more > 0 ? ` … (+${more} more)` : '');
}
