/** A line as the refund logic reads it: its product's attributes and its price. */
export interface LineOfOrder {
  product?: { attribute_values?: { code?: string; name?: string; value?: unknown }[] } | null;
  line_price_excl_tax?: string;
}

/** Course runs whose lines in this order cost nothing: their refund's credit is 0. */
export function freeCourses(order: { lines: readonly LineOfOrder[] }): Set<string> {
  const credit = new Map<string, number>();
  for (const line of order.lines) {
    const [key] = courseKeysOf({ lines: [line] });
    if (key) credit.set(key, (credit.get(key) ?? 0) + Math.abs(Number(line.line_price_excl_tax ?? 'NaN')));
  }
  return new Set([...credit].filter(([, total]) => total === 0).map(([key]) => key));
}

/** The distinct course runs of an order's lines (lines that are not course seats have none). */
export function courseKeysOf(order: { lines: readonly LineOfOrder[] }): string[] {
  const keys = new Set<string>();
  for (const line of order.lines) {
    const attribute = line.product?.attribute_values?.find((a) => (a.code ?? a.name) === 'course_key');
    if (typeof attribute?.value === 'string' && attribute.value !== '') keys.add(attribute.value);
  }
  return [...keys];
}
