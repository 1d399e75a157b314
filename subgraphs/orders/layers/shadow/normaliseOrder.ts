import { formatMoney } from '../../domain/formatMoney';
import type { Money, Order, OrderLine } from '../../domain/Order';
import { toUtcIso } from '../../domain/toUtcIso';

export interface NormalisedLine {
  title: string;
  quantity: number;
  unitPrice: string | null;
  linePrice: string;
  courseRunKey: string | null;
}

/**
 * The part of an order two systems must agree on, in one canonical spelling. Left out on purpose:
 * `receiptUrl` (each system has its own receipt page), line `description` and `status` (the vendor
 * has no separate description, and names line states its own way).
 */
export interface NormalisedOrder {
  number: string;
  placedAt: string;
  status: string;
  total: string;
  discount: string | null;
  paymentMethod: string | null;
  /** Sorted: the order lines are listed in carries no meaning, and systems list them differently. */
  lines: NormalisedLine[];
}

/**
 * Pure. Cancels only differences of spelling — "49.0" vs "49.00", "…:44.000Z" vs "…:44Z", line order,
 * stray whitespace — so anything left is a real difference a learner could see.
 */
export function normaliseOrder(order: Order): NormalisedOrder {
  return {
    number: order.number.trim(),
    placedAt: canonical(() => toUtcIso(order.placedAt), order.placedAt),
    status: order.status,
    total: money(order.total),
    discount: order.discount ? money(order.discount) : null,
    paymentMethod: order.paymentMethod?.trim() || null,
    lines: order.lines.map(normaliseLine).sort(compareLines),
  };
}

function normaliseLine(line: OrderLine): NormalisedLine {
  return {
    title: line.title.trim(),
    quantity: line.quantity,
    unitPrice: line.unitPrice ? money(line.unitPrice) : null,
    linePrice: money(line.linePrice),
    courseRunKey: line.courseRunKey?.trim() || null,
  };
}

function money(value: Money): string {
  const currency = value.currency.trim().toUpperCase();
  return `${canonical(() => formatMoney(value.amount, currency).amount, value.amount)} ${currency}`;
}

/** A value that cannot be canonicalised is compared as sent: it then differs, which is the point. */
function canonical(make: () => string, raw: string): string {
  try {
    return make();
  } catch {
    return raw;
  }
}

function compareLines(a: NormalisedLine, b: NormalisedLine): number {
  const key = (l: NormalisedLine) => [l.courseRunKey ?? '', l.title, l.unitPrice ?? '', String(l.quantity)];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}
