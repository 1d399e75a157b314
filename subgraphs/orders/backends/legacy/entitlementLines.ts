import type { LineOfOrder } from './courseLines';

/**
 * The course uuid of a course-entitlement line (lower-cased), or null for any other line. An
 * entitlement product (class `Course Entitlement`) names its course by the `UUID` attribute and has
 * no `course_key` (ecommerce/entitlements/utils.py; catalogue migration 0026 renamed the class's
 * `course_key` attribute to `UUID`), docs/reference/legacy-ecommerce.md, "Entitlements".
 */
export function entitlementCourseUuidOf(line: LineOfOrder): string | null {
  const attributes = line.product?.attribute_values ?? [];
  if (attributes.some((a) => (a.code ?? a.name) === 'course_key')) return null;
  const uuid = attributes.find((a) => (a.code ?? a.name) === 'UUID')?.value;
  return typeof uuid === 'string' && uuid !== '' ? uuid.toLowerCase() : null;
}

/** The distinct course uuids of an order's entitlement lines. */
export function entitlementCourseUuidsOf(order: { lines: readonly LineOfOrder[] }): string[] {
  return [...new Set(order.lines.map(entitlementCourseUuidOf).filter((u): u is string => u !== null))];
}

/** Entitlement courses whose lines cost nothing: `create_with_lines` approves their refund at once. */
export function freeEntitlements(order: { lines: readonly LineOfOrder[] }): Set<string> {
  const credit = new Map<string, number>();
  for (const line of order.lines) {
    const course = entitlementCourseUuidOf(line);
    if (course)
      credit.set(course, (credit.get(course) ?? 0) + Math.abs(Number(line.line_price_excl_tax ?? 'NaN')));
  }
  return new Set([...credit].filter(([, total]) => total === 0).map(([course]) => course));
}
