import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../../upstream/Upstream';
import { chargeRequestBudget } from './RequestBudget';

/**
 * The same upstream, each call first counted against the budget of the request it is made for
 * (RequestBudget). A call made outside a request's reads (a mutation, the refund worker, `npm run
 * compare`) counts against nothing. Retries inside the kit are not counted again: its retry budget
 * bounds them.
 */
export function budgetedUpstream(upstream: Upstream): Upstream {
  return {
    name: upstream.name,
    request: async <T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> => {
      chargeRequestBudget();
      return upstream.request<T>(request);
    },
    status: () => upstream.status(),
    close: () => upstream.close(),
  };
}
