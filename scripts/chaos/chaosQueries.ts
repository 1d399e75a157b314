import type { Seed } from '../../simulators/seed/createSeed';

export interface ChaosQueries {
  /** Touches only the legacy API (one call: the first page of learner1's orders). */
  legacy: string;
  /** Touches only the catalog (discovery), never the legacy API. */
  catalog: string;
  /**
   * One legacy field and one catalog field. `order` is nullable, so a failed legacy call leaves the
   * catalog data in place: a partial response.
   */
  mixed: string;
  /**
   * The same with `orderHistory`, which the schema declares non-null: a failure there nulls the
   * whole `data` by GraphQL's null propagation, so it cannot be partial (reported, not judged).
   */
  mixedNonNull: string;
}

export function chaosQueries(seed: Seed): ChaosQueries {
  const key = seed.courseRuns[0]!.key;
  const order = seed.orders.find((o) => o.username === 'learner1')!.number;
  const courseRun = `courseRun(key: ${JSON.stringify(key)}) { title }`;
  return {
    legacy: '{ orderHistory(pageSize: 1) { count } }',
    catalog: `{ ${courseRun} }`,
    mixed: `{ order(number: ${JSON.stringify(order)}) { number } ${courseRun} }`,
    mixedNonNull: `{ orderHistory(pageSize: 1) { count } ${courseRun} }`,
  };
}

/** Whether a reply kept the catalog data while reporting `code` for the legacy part. */
export function isPartial(
  reply: { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] },
  code: string,
  upstream: string,
): boolean {
  const courseRun = reply.data?.courseRun as { title?: unknown } | null | undefined;
  return (
    typeof courseRun?.title === 'string' &&
    (reply.errors ?? []).some((e) => e.extensions?.code === code && e.extensions?.upstream === upstream)
  );
}
