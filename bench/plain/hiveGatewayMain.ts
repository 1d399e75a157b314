import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { schemaDirectory } from '../../schema/schemaDirectory';
import { createGatewayRuntime } from './hiveRuntime';
import { verifiedAuthorization } from './plainVerify';

// The `hive` stack's gateway (issue 25): Hive Gateway's runtime as a team would configure it, over the
// plain subgraph processes. Our supergraph with each subgraph's URL set through Hive's own
// `transportEntries` (the plain subgraphs serve the same SDL: nothing to compose again), the learner's
// Authorization propagated to both subgraphs, the token verified once per request with the plain
// gateway's check (the same 401 UNAUTHENTICATED without it). Logging off: at error level it writes a
// line per page with a retired course run (bench/sameAnswer.ts); the plain stacks log nothing per
// request. One process, Hive's default.

const gateway = createGatewayRuntime({
  supergraph: readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8'),
  transportEntries: {
    orders: { location: process.env.ORDERS_SUBGRAPH_URL },
    catalog: { location: process.env.CATALOG_SUBGRAPH_URL },
  },
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }: { request: Request }) => ({
      authorization: request.headers.get('authorization'),
    }),
  },
  // Once per request, before parsing and planning, as the plain gateway's context function does.
  plugins: () => [
    {
      onContextBuilding: ({ context }: { context: { headers: Record<string, string> } }) =>
        void verifiedAuthorization(context.headers),
    },
  ],
  logging: false,
});

const server = createServer(gateway).listen(Number(process.env.GATEWAY_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stderr.write(`hive gateway listening at http://127.0.0.1:${port}/graphql\n`);
});
// A clean exit on SIGTERM, so `--cpu-prof` writes its profile.
const stop = () => void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
