import { COMPARED_FIELDS, type ComparedField } from '../../subgraphs/orders/layers/shadow/diffOrderLists';
import { hasDifferences, type UserComparison } from './formatUserReport';

/** Users listed as the worst, and users listed as not compared: enough to start with. */
export const WORST_USERS = 10;
export const LISTED_FAILURES = 20;

/** One user's figures: all the summary keeps of a comparison (never the orders themselves). */
export interface UserFigures {
  username: string;
  primaryCount: number;
  shadowCount: number;
  mismatched: number;
  missingInShadow: number;
  missingInPrimary: number;
  /** Orders found on both sides that differ, per field; only fields that differ at all. */
  fields: Partial<Record<ComparedField, number>>;
}

export interface SummaryJson {
  primary: string;
  shadow: string;
  users: { total: number; identical: number; different: number; notCompared: number };
  orders: {
    /** Orders found on both sides. */
    compared: number;
    matched: number;
    mismatched: number;
    missingInShadow: number;
    missingInPrimary: number;
    /** (mismatched + missing on either side) / all distinct orders seen. */
    differingRate: number;
  };
  /** Per compared field: orders on both sides agreeing and disagreeing, and the share disagreeing. */
  fields: Record<ComparedField, { match: number; mismatch: number; mismatchRate: number }>;
  /** The users with the most differing orders (mismatched + missing on either side), most first. */
  worst: (UserFigures & { differingOrders: number })[];
  /** The first users that could not be compared, with the error. */
  notCompared: { username: string; error: string }[];
}

const differingOrders = (u: UserFigures) => u.mismatched + u.missingInShadow + u.missingInPrimary;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * Adds up many users' comparisons as they finish, in any order. Memory is bounded by the users
 * (one small record per differing user), not by their orders.
 */
export class CompareSummary {
  private readonly fieldCounts = Object.fromEntries(
    COMPARED_FIELDS.map((f) => [f, { match: 0, mismatch: 0 }]),
  ) as Record<ComparedField, { match: number; mismatch: number }>;
  private readonly orders = { matched: 0, mismatched: 0, missingInShadow: 0, missingInPrimary: 0 };
  private readonly users = { total: 0, identical: 0, different: 0, notCompared: 0 };
  private readonly differing: UserFigures[] = [];
  private readonly failures: { username: string; error: string }[] = [];

  constructor(
    private readonly primary: string,
    private readonly shadow: string,
  ) {}

  add(comparison: UserComparison): void {
    const { diff } = comparison;
    this.users.total++;
    for (const field of COMPARED_FIELDS) {
      this.fieldCounts[field].match += diff.fields[field].match;
      this.fieldCounts[field].mismatch += diff.fields[field].mismatch;
    }
    this.orders.matched += diff.matched.length;
    this.orders.mismatched += diff.mismatched.length;
    this.orders.missingInShadow += diff.missingInShadow.length;
    this.orders.missingInPrimary += diff.missingInPrimary.length;
    if (!hasDifferences(comparison)) {
      this.users.identical++;
      return;
    }
    this.users.different++;
    const fields: UserFigures['fields'] = {};
    for (const field of COMPARED_FIELDS) {
      if (diff.fields[field].mismatch > 0) fields[field] = diff.fields[field].mismatch;
    }
    this.differing.push({
      username: comparison.username,
      primaryCount: comparison.primary.history.count,
      shadowCount: comparison.shadow.history.count,
      mismatched: diff.mismatched.length,
      missingInShadow: diff.missingInShadow.length,
      missingInPrimary: diff.missingInPrimary.length,
      fields,
    });
  }

  addFailure(username: string, error: string): void {
    this.users.total++;
    this.users.notCompared++;
    if (this.failures.length < LISTED_FAILURES) this.failures.push({ username, error });
  }

  toJson(): SummaryJson {
    const o = this.orders;
    const seen = o.matched + o.mismatched + o.missingInShadow + o.missingInPrimary;
    const fields = Object.fromEntries(
      COMPARED_FIELDS.map((f) => {
        const { match, mismatch } = this.fieldCounts[f];
        return [f, { match, mismatch, mismatchRate: rate(mismatch, match + mismatch) }];
      }),
    ) as SummaryJson['fields'];
    const worst = [...this.differing]
      .sort((a, b) => differingOrders(b) - differingOrders(a) || a.username.localeCompare(b.username))
      .slice(0, WORST_USERS)
      .map((u) => ({ ...u, differingOrders: differingOrders(u) }));
    return {
      primary: this.primary,
      shadow: this.shadow,
      users: { ...this.users },
      orders: {
        compared: o.matched + o.mismatched,
        ...o,
        differingRate: rate(o.mismatched + o.missingInShadow + o.missingInPrimary, seen),
      },
      fields,
      worst,
      notCompared: [...this.failures],
    };
  }
}
