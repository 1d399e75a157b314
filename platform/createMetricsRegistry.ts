import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per component, so an in-process stack (npm start, tests) keeps components apart. */
export function createMetricsRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}
