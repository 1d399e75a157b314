import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';

export interface OrderHistoryClientOptions {
  /** The Switchyard gateway's GraphQL URL, e.g. `https://gateway.example.org/graphql`. */
  uri: string;
  /**
   * The signed-in learner's LMS JWT, read on every request: the MFE's auth layer refreshes it, and a
   * client built once must not keep sending an expired one.
   */
  getToken: () => string | null;
  /** The MFE's build version, sent as `apollographql-client-version` (the gateway counts field usage per version). */
  version?: string;
}

/**
 * Sent as `apollographql-client-name` on every request, and the name of this MFE's registered manifest
 * (`persisted-queries/order-history-mfe.json`): schema checks name it when a change would break it.
 */
export const ORDER_HISTORY_CLIENT = 'order-history-mfe';

/**
 * The Apollo Client an MFE creates once. Pages are cached by their arguments (`page`, `pageSize`), so
 * going back to a page the learner has seen does not ask the gateway again.
 */
export function createOrderHistoryClient(options: OrderHistoryClientOptions): ApolloClient {
  const auth = new SetContextLink((previous) => {
    const token = options.getToken();
    return { headers: { ...previous.headers, ...(token ? { authorization: `JWT ${token}` } : {}) } };
  });
  return new ApolloClient({
    link: auth.concat(new HttpLink({ uri: options.uri })),
    cache: new InMemoryCache(),
    clientAwareness: { name: ORDER_HISTORY_CLIENT, ...(options.version ? { version: options.version } : {}) },
  });
}
