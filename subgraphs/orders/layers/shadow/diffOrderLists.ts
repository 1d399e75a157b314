import type { Order } from '../../domain/Order';
import { normaliseOrder, type NormalisedLine, type NormalisedOrder } from './normaliseOrder';

/**
 * What is compared for an order found on both sides. `position`: the order is listed out of turn
 * relative to the others both sides have (history sorted differently — Commerce Coordinator sorted
 * by last modification). `lines`: a different number of lines; the `lines.*` fields are then not
 * compared, as lines cannot be paired.
 */
export const COMPARED_FIELDS = [
  'position',
  'placedAt',
  'status',
  'total',
  'discount',
  'paymentMethod',
  'lines',
  'lines.title',
  'lines.quantity',
  'lines.unitPrice',
  'lines.linePrice',
  'lines.courseRunKey',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

const ORDER_FIELDS = ['placedAt', 'status', 'total', 'discount', 'paymentMethod'] as const;
const LINE_FIELDS = ['title', 'quantity', 'unitPrice', 'linePrice', 'courseRunKey'] as const;

export interface FieldDifference {
  field: ComparedField;
  /** The normalised values (for a line field, those of the first line that differs). */
  primary: unknown;
  shadow: unknown;
}

export interface OrderDifference {
  number: string;
  differences: FieldDifference[];
}

export interface OrderListDiff {
  /** Numbers on both sides whose compared fields all agree. */
  matched: string[];
  mismatched: OrderDifference[];
  missingInShadow: string[];
  missingInPrimary: string[];
  /** Per field, how many orders found on both sides agree and disagree on it. */
  fields: Record<ComparedField, { match: number; mismatch: number }>;
}

/**
 * Pure: two lists of the same history (a page, or all pages), paired by order number. Each side is
 * normalised first (normaliseOrder), so only differences a learner could see are reported.
 */
export function diffOrderLists(primary: readonly Order[], shadow: readonly Order[]): OrderListDiff {
  const left = primary.map(normaliseOrder);
  const right = new Map(shadow.map((o) => [o.number.trim(), normaliseOrder(o)] as const));
  const leftNumbers = new Set(left.map((o) => o.number));
  const fields = Object.fromEntries(
    COMPARED_FIELDS.map((f) => [f, { match: 0, mismatch: 0 }]),
  ) as OrderListDiff['fields'];
  const outOfTurn = ordersOutOfTurn(left, [...right.keys()]);
  const diff: OrderListDiff = {
    matched: [],
    mismatched: [],
    missingInShadow: [],
    missingInPrimary: [...right.keys()].filter((n) => !leftNumbers.has(n)),
    fields,
  };
  for (const order of left) {
    const other = right.get(order.number);
    if (!other) {
      diff.missingInShadow.push(order.number);
      continue;
    }
    const differences = compareOrders(order, other, outOfTurn.get(order.number));
    for (const field of comparedFieldsOf(order, other)) {
      const differs = differences.some((d) => d.field === field);
      fields[field][differs ? 'mismatch' : 'match']++;
    }
    if (differences.length === 0) diff.matched.push(order.number);
    else diff.mismatched.push({ number: order.number, differences });
  }
  return diff;
}

function compareOrders(
  a: NormalisedOrder,
  b: NormalisedOrder,
  position: FieldDifference | undefined,
): FieldDifference[] {
  const differences: FieldDifference[] = position ? [position] : [];
  for (const field of ORDER_FIELDS) {
    if (a[field] !== b[field]) differences.push({ field, primary: a[field], shadow: b[field] });
  }
  if (a.lines.length !== b.lines.length) {
    differences.push({ field: 'lines', primary: a.lines.length, shadow: b.lines.length });
    return differences;
  }
  for (const field of LINE_FIELDS) {
    const i = a.lines.findIndex((line, i) => line[field] !== (b.lines[i] as NormalisedLine)[field]);
    if (i >= 0) {
      differences.push({ field: `lines.${field}`, primary: a.lines[i]![field], shadow: b.lines[i]![field] });
    }
  }
  return differences;
}

const WITHOUT_LINE_FIELDS = COMPARED_FIELDS.filter((field) => !field.startsWith('lines.'));

function comparedFieldsOf(a: NormalisedOrder, b: NormalisedOrder): readonly ComparedField[] {
  return a.lines.length === b.lines.length ? COMPARED_FIELDS : WITHOUT_LINE_FIELDS;
}

/**
 * The fewest orders that, moved, would make both sides list their common orders in the same
 * sequence: everything outside a longest increasing subsequence of primary positions taken in
 * shadow order. One order listed out of turn flags that order, not all those it displaced.
 */
function ordersOutOfTurn(left: readonly NormalisedOrder[], rightNumbers: readonly string[]) {
  const leftIndex = new Map(left.map((o, i) => [o.number, i]));
  const common = rightNumbers
    .map((number, shadowIndex) => ({ number, shadowIndex, primaryIndex: leftIndex.get(number) }))
    .filter(
      (c): c is { number: string; shadowIndex: number; primaryIndex: number } => c.primaryIndex !== undefined,
    );
  const keep = longestIncreasing(common.map((c) => c.primaryIndex));
  const out = new Map<string, FieldDifference>();
  common.forEach((c, i) => {
    if (!keep.has(i))
      out.set(c.number, { field: 'position', primary: c.primaryIndex, shadow: c.shadowIndex });
  });
  return out;
}

/** Indices of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = values.map(() => -1);
  values.forEach((value, i) => {
    let [lo, hi] = [0, tails.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) keep.add(i);
  return keep;
}
