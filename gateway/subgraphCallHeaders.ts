import type { GatewayContext } from './GatewayContext';

/**
 * What every subgraph call carries for the client, over HTTP or in process: the forwarded headers, the
 * user's token (the subgraph verifies it again) and the request id.
 */
export function subgraphCallHeaders(context: GatewayContext | undefined): Record<string, string | undefined> {
  return {
    ...context?.forwardHeaders,
    authorization: context?.authorization,
    'x-request-id': context?.requestId,
  };
}
