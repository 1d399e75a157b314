import { reportNotice, type DegradedNotice } from '../platform/degradedNotices';
import type { GatewayContext } from './GatewayContext';

/**
 * What the gateway learns from a subgraph's answer besides its data: a replayed mutation (the
 * `Idempotent-Replayed` header) and degraded notices, which @apollo/gateway does not merge from
 * subgraph extensions, so they are carried up here.
 */
export function noteSubgraphAnswer(
  context: GatewayContext | undefined,
  body: { extensions?: Record<string, unknown> },
  replayedHeader: string | string[] | undefined,
): void {
  if (context && replayedHeader === 'true') context.replayed = true;
  const degraded = (body.extensions as { degraded?: DegradedNotice[] } | undefined)?.degraded;
  if (Array.isArray(degraded)) degraded.forEach(reportNotice);
}
