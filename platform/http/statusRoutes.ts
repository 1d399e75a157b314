import type { Routes } from './Routes';
import { sendJson } from './sendJson';

/**
 * What `/status` and `/readyz` read of one dependency: its name and a status whose `breaker` is
 * `closed` while it is healthy; the whole status object is shown. The upstream kit's clients are such
 * sources (upstream/Upstream.ts), without this layer knowing them.
 */
export interface StatusSource {
  readonly name: string;
  status(): { readonly breaker: string };
}

/**
 * `/status`: every upstream with breaker state, in-flight, queue and last error — the "degraded"
 * signal. Readiness deliberately does not fail on an open breaker: this instance still serves every
 * field that does not need that upstream, and taking it out of rotation would only move the load.
 */
export function statusRoutes(
  component: string,
  upstreams: readonly StatusSource[],
  /** The component's own sections (the refund worker's queue and state); `degraded: true` adds to the upstreams'. */
  extra?: () => Promise<StatusExtra> | StatusExtra,
): Routes {
  return {
    'GET /status': async (_req, res) => sendJson(res, 200, await statusBody(component, upstreams, extra)),
  };
}

/** What `/status` answers: also asked of each worker by a primary that serves the admin port (platform/cluster/). */
export async function statusBody(
  component: string,
  upstreams: readonly StatusSource[],
  extra?: () => Promise<StatusExtra> | StatusExtra,
): Promise<Record<string, unknown> & { degraded: boolean }> {
  const list = upstreams.map((u) => u.status());
  const { degraded, ...sections } = (await extra?.()) ?? {};
  return {
    component,
    degraded: list.some((u) => u.breaker !== 'closed') || degraded === true,
    upstreams: list,
    ...sections,
  };
}

export type StatusExtra = { degraded?: boolean } & Record<string, unknown>;

/**
 * Several components' own sections as one (the co-located gateway shows its in-process subgraphs'):
 * the sections side by side, degraded when any of them is. Each component names its sections
 * differently (the orders subgraph's is `rollout`), so none hides another's.
 */
export function mergedStatusExtras(
  extras: readonly (() => Promise<StatusExtra> | StatusExtra)[],
): (() => Promise<StatusExtra>) | undefined {
  if (extras.length === 0) return undefined;
  return async () => {
    const all = await Promise.all(extras.map((extra) => extra()));
    const degraded = all.some((extra) => extra.degraded === true);
    return Object.assign({}, ...all, { degraded }) as StatusExtra;
  };
}

export function upstreamSummary(upstreams: readonly StatusSource[]): Record<string, unknown> {
  const breakers = Object.fromEntries(upstreams.map((u) => [u.name, u.status().breaker]));
  return { degraded: Object.values(breakers).some((state) => state !== 'closed'), breakers };
}
