import type { Upstream } from '../../upstream/Upstream';
import type { Routes } from './createHttpServer';
import { sendJson } from './sendJson';

/**
 * `/status`: every upstream with breaker state, in-flight, queue and last error — the "degraded"
 * signal. Readiness deliberately does not fail on an open breaker: this instance still serves every
 * field that does not need that upstream, and taking it out of rotation would only move the load.
 */
export function statusRoutes(
  component: string,
  upstreams: readonly Upstream[],
  /** The component's own sections (the refund worker's queue and state); `degraded: true` adds to the upstreams'. */
  extra?: () => Promise<StatusExtra> | StatusExtra,
): Routes {
  return {
    'GET /status': async (_req, res) => {
      const list = upstreams.map((u) => u.status());
      const { degraded, ...sections } = (await extra?.()) ?? {};
      sendJson(res, 200, {
        component,
        degraded: list.some((u) => u.breaker !== 'closed') || degraded === true,
        upstreams: list,
        ...sections,
      });
    },
  };
}

export type StatusExtra = { degraded?: boolean } & Record<string, unknown>;

export function upstreamSummary(upstreams: readonly Upstream[]): Record<string, unknown> {
  const breakers = Object.fromEntries(upstreams.map((u) => [u.name, u.status().breaker]));
  return { degraded: Object.values(breakers).some((state) => state !== 'closed'), breakers };
}
