/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25): one way of serving the bench's page, started
 * in the measuring process and answering POST `url` like the bench's stacks.
 */
export interface CeilingVariant {
  /**
   * A: ours co-located; B: the plain co-located stack; C: one pass over the plain resolvers; D: one
   * pass over ours behind our gateway's guards; E: D without the gateway (bare HTTP).
   */
  id: 'A' | 'B' | 'C' | 'D' | 'E';
  label: string;
  url: string;
  stop(): Promise<void>;
}
