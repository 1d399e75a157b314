import type { SummaryJson } from './CompareSummary';

const percent = (r: number) => `${(r * 100).toFixed(2)} %`;

/** The summary over many users as text: users and orders by outcome, fields by mismatch rate, the worst users. */
export function formatSummary(s: SummaryJson): string {
  const [a, b] = [s.primary, s.shadow];
  const { users, orders } = s;
  const seen = orders.matched + orders.mismatched + orders.missingInShadow + orders.missingInPrimary;
  const lines = [
    `Summary, ${a} vs ${b}, ${users.total} user(s):`,
    `  users: identical ${users.identical}, different ${users.different}, not compared ${users.notCompared}` +
      (users.total > users.notCompared
        ? ` (${percent(users.different / (users.total - users.notCompared))} of those compared differ)`
        : ''),
    `  orders: ${seen} seen, matched ${orders.matched}, differing ${orders.mismatched}, ` +
      `only in ${a} ${orders.missingInShadow}, only in ${b} ${orders.missingInPrimary} ` +
      `(${percent(orders.differingRate)} differ)`,
  ];
  const fields = Object.entries(s.fields)
    .filter(([, f]) => f.mismatch > 0)
    .sort(([, x], [, y]) => y.mismatchRate - x.mismatchRate || y.mismatch - x.mismatch);
  if (fields.length === 0) {
    lines.push('  fields: no field differs');
  } else {
    lines.push('  field mismatch rate (orders on both sides):');
    const width = Math.max(...fields.map(([name]) => name.length));
    for (const [name, f] of fields) {
      lines.push(
        `    ${name.padEnd(width)}  ${f.mismatch}/${f.match + f.mismatch}  ${percent(f.mismatchRate)}`,
      );
    }
  }
  if (s.worst.length > 0) {
    lines.push(`  worst users (most differing orders, ${s.worst.length} shown):`);
    for (const u of s.worst) {
      const fieldList = Object.entries(u.fields).map(([field, n]) => `${field} ${n}`);
      lines.push(
        `    ${u.username}: ${u.differingOrders} differing order(s) — differing ${u.mismatched}, ` +
          `only in ${a} ${u.missingInShadow}, only in ${b} ${u.missingInPrimary}; ` +
          `${a} ${u.primaryCount} vs ${b} ${u.shadowCount} orders` +
          (fieldList.length > 0 ? `; fields: ${fieldList.join(', ')}` : ''),
      );
    }
  }
  if (s.notCompared.length > 0) {
    const more = users.notCompared - s.notCompared.length;
    lines.push(
      `  not compared: ${s.notCompared.map((f) => f.username).join(', ')}${more > 0 ? ` … (+${more} more)` : ''}`,
    );
  }
  return lines.join('\n');
}
