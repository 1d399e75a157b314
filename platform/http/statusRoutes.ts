import type { Upstream } from '../../upstream/Upstream';
import type { Routes } from './createHttpServer';
import { sendJson } from './sendJson';

/**
 * `/status`: every upstream with breaker state, in-flight, queue and last error — the "degraded"
 * signal. Readiness deliberately does not fail on an open breaker: this instance still serves every
 * field that does not need that upstream, and taking it out of rotation would only move the load.
 */
export function statusRoutes(component: string, upstreams: readonly Upstream[]): Routes {
  return {
    'GET /status': (_req, res) => {
      const list = upstreams.map((u) => u.status());
      sendJson(res, 200, { component, degraded: list.some((u) => u.breaker !== 'closed'), upstreams: list });
    },
  };
}

export function upstreamSummary(upstreams: readonly Upstream[]): Record<string, unknown> {
  const breakers = Object.fromEntries(upstreams.map((u) => [u.name, u.status().breaker]));
  return { degraded: Object.values(breakers).some((state) => state !== 'closed'), breakers };
}
