import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { Registry } from 'prom-client';
import { countFieldUsage } from '../gateway/plugins/countFieldUsage';
import { apiSchemaOf } from '../schema/checks/apiSchemaOf';
import { schemaDirectory } from '../schema/schemaDirectory';

// `node dist/bench/fieldUsageCost.js`: the gateway's field-usage counting (gateway/plugins/countFieldUsage.ts)
// on the MFE's order-history page, in one process and without load: CPU per request through the
// plugin's two hooks with the document's coordinates cached (every request after a query's first),
// and the first request (coordinates computed). Compare with the gateway's CPU per page in
// bench/results/latest.json (`summary.kit.cpuMsPerQuery.gateway`): the bound is 2 %.
const ROOT = join(schemaDirectory(), '..');
const schema = apiSchemaOf(readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8'));
const manifest = JSON.parse(
  readFileSync(join(ROOT, 'persisted-queries', 'order-history-mfe.json'), 'utf8'),
) as {
  operations: { name: string; body: string }[];
};
const { name, body } = manifest.operations[0]!;
const plugin = countFieldUsage({ clients: new Set(['order-history-mfe']), metrics: new Registry() });
const headers = new Map([
  ['apollographql-client-name', 'order-history-mfe'],
  ['apollographql-client-version', '1.4.0'],
]);

async function oneRequest(document: ReturnType<typeof parse>): Promise<void> {
  // Only what the plugin reads of Apollo Server's request context.
  const listener = await plugin.requestDidStart!({ request: { http: { headers } } } as never);
  await listener!.didResolveOperation!({ schema, document, operationName: name } as never);
}

async function cpuMicrosPerRequest(requests: number, fresh: boolean): Promise<number> {
  const shared = parse(body);
  const documents = fresh ? Array.from({ length: requests }, () => parse(body)) : [];
  const start = process.cpuUsage();
  for (let i = 0; i < requests; i++) await oneRequest(fresh ? documents[i]! : shared);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / requests;
}

async function main(): Promise<void> {
  await cpuMicrosPerRequest(20_000, false); // JIT warm-up
  const cached = await cpuMicrosPerRequest(200_000, false);
  const first = await cpuMicrosPerRequest(2_000, true);
  const latest = JSON.parse(readFileSync(join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as {
    summary: { kit?: { cpuMsPerQuery: { gateway: number } } };
  };
  const gatewayMs = latest.summary.kit?.cpuMsPerQuery.gateway;
  const share = gatewayMs
    ? ` = ${((cached / 1000 / gatewayMs) * 100).toFixed(2)} % of the gateway's ${gatewayMs.toFixed(2)} ms CPU per page (latest.json)`
    : '';
  process.stdout.write(
    `field usage counting, order-history page (${name}):\n` +
      `  cached coordinates: ${cached.toFixed(2)} µs CPU per request${share}\n` +
      `  first request of a document (coordinates computed): ${first.toFixed(1)} µs CPU\n`,
  );
}

void main();
