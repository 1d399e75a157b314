import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ApolloGateway, IntrospectAndCompose, LocalGraphQLDataSource } from '@apollo/gateway';
import { plainCatalogContext, plainCatalogSchema, type PlainCatalogContext } from './plainCatalog';
import { plainOrdersContext, plainOrdersSchema, type PlainOrdersContext } from './plainOrders';
import { servePlain } from './plainServer';
import { verifiedAuthorization } from './plainVerify';

// The plain stack in the single-host shape (the `plain-colocated` stack, issue 25): what a team on one
// host writes first. Stock @apollo/gateway executing the two plain subgraph schemas in process through
// the stock LocalGraphQLDataSource (composed by introspection through it, as the separate plain stack
// composes over HTTP), one process per core behind one port with node:cluster. The same resolvers,
// simulators and token check as the `plain` stack; no guards.

// As many as the co-located-workers stack runs (COLOCATED_WORKERS at the core count).
const WORKERS = availableParallelism();

if (cluster.isPrimary) {
  // The primary only forks and stops the workers: it never serves a request.
  let running = WORKERS;
  let stopping = false;
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  cluster.on('exit', (_worker, code, signal) => {
    running--;
    // No replacement: a stack that lost a worker would be measured at half its shape; the bench
    // sees the primary exit and stops the run.
    if (!stopping) {
      process.stderr.write(`plain worker exited (${signal ?? code})\n`);
      process.exit(1);
    }
    if (running === 0) process.exit(0);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  // One context for both subgraphs: the gateway hands its own to every LocalGraphQLDataSource.
  type Context = PlainOrdersContext & PlainCatalogContext & { authorization: string };
  const schemas = { orders: plainOrdersSchema(), catalog: plainCatalogSchema() };
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: 'orders', url: 'local:orders' },
        { name: 'catalog', url: 'local:catalog' },
      ],
    }),
    buildService: ({ name }) => new LocalGraphQLDataSource(schemas[name as keyof typeof schemas]),
  });
  void servePlain<Context>('colocated gateway', process.env.GATEWAY_PORT, { gateway }, async (req) => {
    const authorization = verifiedAuthorization(req.headers);
    return { ...plainOrdersContext(authorization), ...plainCatalogContext(), authorization };
  });
}
