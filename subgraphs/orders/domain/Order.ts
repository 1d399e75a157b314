import type { SystemFailure } from './SystemFailure';

/** The orders domain, independent of any backend's wire shape. Field names follow the GraphQL schema. */
export interface Money {
  /**
   * The exact amount, a decimal string with the currency's ISO 4217 minor digits ("149.00" USD, "1500"
   * JPY, "1.500" KWD), and more only for a more precise recorded price (formatMoney.ts).
   */
  amount: string;
  currency: string;
}

export type OrderStatus =
  | 'OPEN'
  | 'PENDING'
  | 'COMPLETE'
  | 'FULFILLMENT_ERROR'
  | 'PAYMENT_ERROR'
  /** Cancelled in the owning system (commercetools OrderState `Cancelled`; the legacy API has none). */
  | 'CANCELLED'
  | 'UNKNOWN';

export interface OrderLine {
  title: string;
  description: string;
  quantity: number;
  /**
   * One unit before discounts; null when the owning system did not record it (a legacy order line
   * may hold none: Oscar's `unit_price_excl_tax` is nullable). Never derived from `linePrice`.
   */
  unitPrice: Money | null;
  /** The whole line after the discounts the owning system applied to the line itself. */
  linePrice: Money;
  status: string | null;
  /** Key of the course run bought; resolved to a CourseRun by the catalog subgraph. */
  courseRunKey: string | null;
  /**
   * The course (discovery uuid, lower-cased) of a course entitlement bought on this line, which has
   * no course run; absent or null for other lines.
   */
  courseUuid?: string | null;
}

export interface Order {
  number: string;
  /** ISO-8601 UTC. */
  placedAt: string;
  status: OrderStatus;
  total: Money;
  discount: Money | null;
  paymentMethod: string | null;
  receiptUrl: string;
  lines: OrderLine[];
}

/** One page of a user's orders plus the total across all pages. */
export interface OrderPage {
  count: number;
  orders: Order[];
  /**
   * Systems that failed while another answered (merged history): the page holds only the others'
   * orders and `count` only their totals. Absent or empty when the page is complete.
   */
  failures?: readonly SystemFailure[];
}
