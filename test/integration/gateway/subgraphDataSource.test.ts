import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { parse } from 'graphql';
import type { GatewayContext } from '../../../gateway/GatewayContext';
import { SubgraphDataSource } from '../../../gateway/SubgraphDataSource';
import { createUpstream } from '../../../upstream/createUpstream';
import type { Upstream } from '../../../upstream/Upstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

// Whether a subgraph fetch may be sent twice is read from the fetch's parsed operation, as the query
// planner hands it over: a mutation is never resent once bytes may have left, whatever its text looks
// like; a query is retried after a 503.

let subgraph: FakeUpstream;
let upstream: Upstream;
beforeEach(async () => {
  subgraph = await startFakeUpstream();
  // The first answer is a 503, every later one the data.
  subgraph.handle((_req, res) =>
    subgraph.requests.length === 1 ? json(res, 503, {}) : json(res, 200, { data: { ok: true } }),
  );
  upstream = createUpstream(parseUpstreamEnv('ORDERS_SUBGRAPH', 'orders', `${subgraph.url}/graphql`, {}), {
    sleep: async () => undefined,
  });
});
afterEach(async () => {
  await upstream.close();
  await subgraph.close();
});

const context: GatewayContext = {
  identity: null,
  authorization: undefined,
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
  forwardHeaders: {},
  replayed: false,
  notes: { operation: null, replayed: false },
};

function fetchOf(query: string): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query },
    incomingRequestContext: { context } as never,
    context,
    document: parse(query),
  };
}

it('retries a query after a 503', async () => {
  const source = new SubgraphDataSource(upstream, 'secret');
  await expect(source.process(fetchOf('{ orderHistory { count } }'))).resolves.toEqual({
    data: { ok: true },
  });
  expect(subgraph.requests).toHaveLength(2);
});

it('sends a mutation once, even when its text does not start with the keyword', async () => {
  const source = new SubgraphDataSource(upstream, 'secret');
  const mutation = '# planned by the gateway\nmutation R { requestRefund { id } }';
  await expect(source.process(fetchOf(mutation))).rejects.toMatchObject({
    extensions: { code: 'UPSTREAM_ERROR', upstream: 'orders' },
  });
  expect(subgraph.requests).toHaveLength(1);
});
