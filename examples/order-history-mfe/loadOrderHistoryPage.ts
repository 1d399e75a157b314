import { CombinedGraphQLErrors, ServerError, type ApolloClient } from '@apollo/client';
import { ORDER_HISTORY, type OrderHistoryData } from './orderHistoryQuery';

/** What the page shows for one load. */
export type OrderHistoryOutcome =
  /** Orders to show; `missing` is non-empty when a system holding some of them did not answer. */
  | { kind: 'page'; history: OrderHistoryData['orderHistory']; missing: Problem[] }
  /** The token is missing, bad or expired: send the learner to sign in again. */
  | { kind: 'signIn' }
  /** Nothing to show yet; try again after `retryAfterSeconds` (a hint, or null). */
  | { kind: 'retryLater'; code: string; retryAfterSeconds: number | null }
  /** A request the page got wrong, or a bug: show an error with the request id for support. */
  | { kind: 'failed'; code: string; message: string; requestId: string | null };

export interface Problem {
  code: string;
  /** The system that failed (`legacy-ecommerce`, `vendor-commerce`), when the gateway says. */
  upstream: string | null;
}

/** Codes that always mean "this may work in a moment" (docs/api.md, error codes). */
const RETRYABLE = new Set([
  'RATE_LIMITED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_OVERLOADED',
]);

interface CodedError {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * Loads one page of the signed-in learner's history. `errorPolicy: 'all'` keeps the data of a partial
 * answer: during the migration one system may be down while the other still answers, and the learner
 * should see what there is (with a notice) rather than nothing.
 */
export async function loadOrderHistoryPage(
  client: ApolloClient,
  page: number,
  pageSize = 20,
): Promise<OrderHistoryOutcome> {
  try {
    const result = await client.query({
      query: ORDER_HISTORY,
      variables: { page, pageSize },
      errorPolicy: 'all',
      fetchPolicy: 'network-only',
    });
    const errors = CombinedGraphQLErrors.is(result.error) ? [...result.error.errors] : [];
    if (result.data?.orderHistory) {
      return { kind: 'page', history: result.data.orderHistory, missing: errors.map(problemOf) };
    }
    if (result.error && !CombinedGraphQLErrors.is(result.error)) return fromTransportError(result.error);
    return fromCodedErrors(errors, null, null);
  } catch (error) {
    return fromTransportError(error);
  }
}

function fromTransportError(error: unknown): OrderHistoryOutcome {
  // A non-2xx answer (401, 429, 503 …): its body still carries the coded errors.
  if (ServerError.is(error)) {
    const retryAfter = Number(error.response.headers.get('retry-after'));
    return fromCodedErrors(
      parseErrors(error.bodyText),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      error.response.headers.get('x-request-id'),
    );
  }
  if (CombinedGraphQLErrors.is(error)) return fromCodedErrors([...error.errors], null, null);
  // The network itself failed: the gateway could not be reached at all.
  return { kind: 'retryLater', code: 'NETWORK_ERROR', retryAfterSeconds: null };
}

function fromCodedErrors(
  errors: readonly CodedError[],
  retryAfterSeconds: number | null,
  requestId: string | null,
): OrderHistoryOutcome {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
  if (code === 'UNAUTHENTICATED') return { kind: 'signIn' };
  // UPSTREAM_ERROR says itself whether a retry may help (`extensions.retryable`).
  if (RETRYABLE.has(code) || first?.extensions?.retryable === true) {
    const hinted = first?.extensions?.retryAfter;
    return {
      kind: 'retryLater',
      code,
      retryAfterSeconds: typeof hinted === 'number' ? hinted : retryAfterSeconds,
    };
  }
  return { kind: 'failed', code, message: first?.message ?? 'No answer', requestId };
}

function problemOf(error: CodedError): Problem {
  const { code, upstream } = error.extensions ?? {};
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    upstream: typeof upstream === 'string' ? upstream : null,
  };
}

function parseErrors(bodyText: string): CodedError[] {
  try {
    const body = JSON.parse(bodyText) as { errors?: CodedError[] };
    return Array.isArray(body.errors) ? body.errors : [];
  } catch {
    return [];
  }
}
