import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Registry } from 'prom-client';
import type { StatusExtra, StatusSource } from '../http/statusRoutes';

/** One subgraph operation, as the gateway's query plan sends it. */
export interface SubgraphRequest {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** What the subgraph answered: the body its HTTP server would have sent, and the response headers. */
export interface SubgraphAnswer {
  body: FormattedExecutionResult;
  headers: HeaderMap;
}

/**
 * A subgraph the gateway calls in its own process (colocated/): the same Apollo pipeline as its
 * HTTP server — the JWT checked again, query limits, plugins, formatted errors — without the hop.
 */
export interface InProcessSubgraph {
  execute(request: SubgraphRequest, headers: IncomingHttpHeaders): Promise<SubgraphAnswer>;
  /** The subgraph's own registry; the co-located admin port serves it beside the gateway's. */
  metrics: Registry;
  /** Its upstreams (legacy, vendor, discovery, LMS), for `/status` and `/readyz`. */
  upstreams: readonly StatusSource[];
  /** Its own `/status` sections (the orders rollout's), shown by the co-located admin port too. */
  status?: () => StatusExtra | Promise<StatusExtra>;
}
