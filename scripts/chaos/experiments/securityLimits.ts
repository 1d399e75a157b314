import { randomBytes } from 'node:crypto';
import { DEFAULT_QUERY } from '../../../gateway/explorer/defaultQuery';
import type { ChaosExperiment } from '../ChaosExperiment';
import { ExperimentRecord } from '../ExperimentRecord';
import { startChaosStack } from '../startChaosStack';
import { startSideGateway, type SideGateway } from '../startSideGateway';

interface Reply {
  status: number;
  codes: string[];
  errors: { extensions?: Record<string, unknown> }[];
}

/**
 * T16: abusive requests are refused at the gateway with their codes and cost no subgraph or upstream
 * call — depth > 6, aliases > 15, estimated cost > 5000 (demand control, docs/reference/demand-control.md),
 * tokens > 1000, an array batch, a GET without a CSRF preflight header — all under the default
 * configuration; introspection is refused by a gateway under production configuration. A control
 * request (the MFE's order-history page) shows the same stack does serve and does call its subgraphs.
 */
export const securityLimits: ChaosExperiment = {
  id: 'T16',
  title: 'abusive requests refused with their codes, 0 subgraph calls; introspection off in production',
  async run() {
    const record = new ExperimentRecord(this.id, this.title);
    const chaos = await startChaosStack();
    // A gateway with the default configuration whose orders subgraph sits behind a proxy: bytes it
    // sends there are subgraph calls, counted outside the gateway.
    let side: SideGateway | undefined;
    try {
      side = await startSideGateway(chaos, {});
      const { ordersProxy } = side;
      const gatewayUrl = side.url;
      const calls = () => ({
        subgraph: ordersProxy.stats().bytesUp,
        upstream: chaos.legacy.stats().total + chaos.discovery.stats().total,
      });
      const post = (body: unknown) =>
        send(`${gatewayUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: chaos.authorization },
          body: JSON.stringify(body),
        });

      const control = await post({ query: DEFAULT_QUERY, variables: { page: 1 } });
      record.equals('controlStatus', control.status, 200);
      record.equals('controlErrors', control.codes.length, 0);
      record.atLeast('controlBytesToOrdersSubgraph', calls().subgraph, 1);
      record.atLeast('controlUpstreamCalls', calls().upstream, 1);

      const before = calls();
      // The schema is 5 deep at most, so 7 levels need fields it lacks; validation reports the depth
      // limit among the other errors, and the depth rule does not depend on the fields existing.
      const deep = await post({
        query: '{ orderHistory { orders { lines { courseRun { title { a { b } } } } } } }',
      });
      record.equals('depth7Status', deep.status, 400);
      record.equals('depth7Limit', limitOf(deep, 'depth'), 7);

      const aliases = await post({
        query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: orderHistory(pageSize: 1) { count }`).join(' ')} }`,
      });
      record.equals('aliases16Status', aliases.status, 400);
      record.equals('aliases16Limit', limitOf(aliases, 'aliases'), 16);

      const costly = await post({
        query: '{ orderHistory(pageSize: 400) { orders { number lines { title courseRun { title } } } } }',
      });
      record.equals('costStatus', costly.status, 400);
      record.equals('costCode', costly.codes[0] ?? null, 'COST_LIMIT_EXCEEDED');
      const cost = costly.errors[0]?.extensions?.cost as { estimated?: number; max?: number } | undefined;
      record.atLeast('costEstimated', cost?.estimated ?? 0, 5001);
      record.equals('costMax', cost?.max ?? null, 5000);

      const tokens = await post({ query: `{ orderHistory { count ${'pageCount '.repeat(1000)} } }` });
      record.equals('tokens1000Status', tokens.status, 400);
      record.equals('tokens1000Code', tokens.codes[0] ?? null, 'GRAPHQL_PARSE_FAILED');

      const batch = await post([
        { query: '{ orderHistory { count } }' },
        { query: '{ orderHistory { count } }' },
      ]);
      record.equals('arrayBatchStatus', batch.status, 400);

      const get = await send(
        `${gatewayUrl}/graphql?query=${encodeURIComponent('{ orderHistory { count } }')}`,
        {
          headers: { authorization: chaos.authorization },
        },
      );
      record.equals('getWithoutPreflightStatus', get.status, 400);

      const after = calls();
      record.equals('bytesToOrdersSubgraphDuringRefusals', after.subgraph - before.subgraph, 0);
      record.equals('upstreamCallsDuringRefusals', after.upstream - before.upstream, 0);

      // Production: the same stack's subgraphs behind a gateway parsed as NODE_ENV=production.
      const production = await startSideGateway(chaos, {
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('hex'),
      });
      try {
        const upstreamBefore = calls().upstream;
        const introspection = await send(`${production.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
        });
        record.equals('productionIntrospectionStatus', introspection.status, 400);
        record.equals(
          'productionIntrospectionCode',
          introspection.codes[0] ?? null,
          'GRAPHQL_VALIDATION_FAILED',
        );
        record.equals('productionUpstreamCalls', calls().upstream - upstreamBefore, 0);
      } finally {
        await production.stop();
      }
    } finally {
      await side?.stop();
      await chaos.stop();
    }
    return record.result();
  },
};

async function send(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let errors: Reply['errors'] = [];
  try {
    errors = (JSON.parse(text) as { errors?: Reply['errors'] }).errors ?? [];
  } catch {
    // An array batch is refused in plain text: the status is the verdict.
  }
  const codes = errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string');
  return { status: response.status, codes, errors };
}

/** The `actual` of the first error reporting limit `name` (validation may report other errors too). */
function limitOf(reply: Reply, name: string): number | null {
  for (const error of reply.errors) {
    const limit = error.extensions?.limit as { name?: string; actual?: number } | undefined;
    if (limit?.name === name) return limit.actual ?? null;
  }
  return null;
}
