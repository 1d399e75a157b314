// Which metrics a PromQL expression reads, and whether an exporter's families cover them: for the
// dashboard and alert rules in deploy/, checked against what the components really export.

/**
 * The `switchyard_…` metric names and `switchyard:…` recorded-rule names an expression reads, in order
 * of first use. String literals (label values, regexes), label matchers, the label lists of `by`, `on`
 * and their kin, and range/offset brackets are removed first, so `{field="switchyard_x"}`,
 * `by (switchyard_label)` or `[5m]` can never pass for a name.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ')
    .replace(/\[[^\][]*\]/g, ' ');
  const names = bare.match(/(?<![\w:$])switchyard[_:][\w:]*/g) ?? [];
  return [...new Set(names)];
}

/** The families of a Prometheus text exposition, by name, with their type (`# TYPE name type`). */
export function exportedFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
  return families;
}

const SERIES_SUFFIXES: Record<string, readonly string[]> = {
  _bucket: ['histogram'],
  _sum: ['histogram', 'summary'],
  _count: ['histogram', 'summary'],
};

/**
 * Whether a name an expression reads is a series the families expose: a family itself, or a
 * histogram's `_bucket`/`_sum`/`_count` (a summary's `_sum`/`_count`).
 */
export function isExported(name: string, families: ReadonlyMap<string, string>): boolean {
  if (families.has(name)) return true;
  return Object.entries(SERIES_SUFFIXES).some(([suffix, types]) => {
    if (!name.endsWith(suffix)) return false;
    const type = families.get(name.slice(0, -suffix.length));
    return type !== undefined && types.includes(type);
  });
}

/** Whether every (, [ and { closes, in order, outside string literals. */
export function bracketsBalance(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const ch of expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}
