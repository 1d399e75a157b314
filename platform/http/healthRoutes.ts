import type { MetricsSource } from '../combinedMetrics';
import type { Routes } from './Routes';
import { sendJson } from './sendJson';

export interface HealthOptions {
  /** Ready means "send me traffic": started, and not shutting down. */
  isReady: () => boolean;
  /** Extra detail for /readyz, e.g. upstream breaker states. */
  details?: () => Record<string, unknown>;
  metrics: MetricsSource;
}

/**
 * Polled every few seconds by the platform (probes, Prometheus), never asked by a user: not traced,
 * or their spans would bury the requests people look for.
 */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** `/healthz` (the process is alive), `/readyz` (send it traffic) and `/metrics` (Prometheus). */
export function healthRoutes(options: HealthOptions): Routes {
  return {
    ...probeRoutes(options),
    'GET /metrics': async (_req, res) => {
      const body = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(body);
    },
  };
}

/**
 * `/healthz` and `/readyz` alone: what a component's public port keeps once `/metrics` and `/status`
 * have moved to its admin port, so probes may use either.
 */
export function probeRoutes(options: Omit<HealthOptions, 'metrics'>): Routes {
  return {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    'GET /readyz': (_req, res) => {
      const ready = options.isReady();
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        ...(options.details?.() ?? {}),
      });
    },
  };
}
