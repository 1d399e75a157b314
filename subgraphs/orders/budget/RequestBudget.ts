import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';

/**
 * How many upstream calls the reads of one GraphQL request may make (ORDERS_MAX_UPSTREAM_CALLS_PER_REQUEST).
 * The gateway bounds a document's shape (depth, aliases, tokens), not what its fields cost: fifteen
 * aliases of a deep merged history page each read both systems. Each call is counted before it is
 * made; past the limit the call is not made and the field asking for it fails with
 * REQUEST_BUDGET_EXCEEDED, and so does every later one in the same request.
 */
export class RequestBudget {
  private spent = 0;

  constructor(readonly limit: number) {}

  /** Upstream calls counted so far. */
  get used(): number {
    return this.spent;
  }

  /** Counts one upstream call, or throws REQUEST_BUDGET_EXCEEDED (and the call must not be made). */
  charge(): void {
    if (this.spent >= this.limit) {
      throw codedError(
        ErrorCode.REQUEST_BUDGET_EXCEEDED,
        `This request needs more than ${this.limit} upstream calls; ask for fewer or smaller pages`,
        { limit: this.limit },
      );
    }
    this.spent += 1;
  }
}

// Carried by async context rather than through every adapter's signature: the adapters call their
// upstream deep inside (a vendor read is a customer lookup and two sorted streams), and only the
// budgeted upstream (budgetedUpstream) needs to see it.
const current = new AsyncLocalStorage<RequestBudget>();

/** Runs `work` with every budgeted upstream call it makes counted against `budget`. */
export function withRequestBudget<T>(budget: RequestBudget, work: () => Promise<T>): Promise<T> {
  return current.run(budget, work);
}

/** Counts one call against the budget of the request this runs for; nothing outside a request's reads. */
export function chargeRequestBudget(): void {
  current.getStore()?.charge();
}
