import type { RefundLedger } from '../port/RefundLedger';

/** One instance's ledger, without Redis. */
export class MemoryRefundLedger implements RefundLedger {
  private readonly byOrder = new Map<string, Set<string>>();

  async refunded(orderNumber: string): Promise<string[]> {
    return [...(this.byOrder.get(orderNumber) ?? [])];
  }

  async record(orderNumber: string, courseRunKeys: readonly string[]): Promise<void> {
    const courses = this.byOrder.get(orderNumber) ?? new Set<string>();
    for (const key of courseRunKeys) courses.add(key);
    this.byOrder.set(orderNumber, courses);
  }
}
