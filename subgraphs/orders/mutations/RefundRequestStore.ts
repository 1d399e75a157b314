import type { RefundRequest } from '../domain/Refund';

export interface StoredRefundRequest {
  /** Whose request it is: `refundRequest(id)` answers the owner and staff only. */
  owner: string;
  request: RefundRequest;
}

/**
 * Refund requests delivered immediately, by id, so `refundRequest(id)` finds them like deferred
 * ones (which the queue keeps). Same id either way: it derives from the user and the key.
 */
export interface RefundRequestStore {
  save(entry: StoredRefundRequest): Promise<void>;
  find(id: string): Promise<StoredRefundRequest | null>;
  close(): Promise<void>;
}
