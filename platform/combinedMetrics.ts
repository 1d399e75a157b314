import { AggregatorRegistry, type Registry } from 'prom-client';

/** What `/metrics` reads: one registry, or several served as one. */
export type MetricsSource = Pick<Registry, 'metrics' | 'contentType'>;

/**
 * Several components' registries in one process (colocated/) on one `/metrics`. Each carries
 * its own `component` label, so prom-client's aggregation (made for cluster workers) keeps every
 * series apart; it only joins the families, which one scrape must not list twice.
 */
export function combinedMetrics(registries: readonly Registry[]): MetricsSource {
  return {
    contentType: registries[0]!.contentType,
    metrics: async () => {
      const families = await Promise.all(registries.map((r) => r.getMetricsAsJSON()));
      return AggregatorRegistry.aggregate(families).metrics();
    },
  };
}
