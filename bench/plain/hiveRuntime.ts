import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';

// The runtime is loaded without its types: they bring graphql-yoga's global GraphQLErrorExtensions
// augmentation into the whole program, where our Apollo gateway's HeaderMap then fails to type-check.
// The little the `hive` stack's gateway (hiveGatewayMain.ts) uses of it is typed here. Its HTTP
// transport to the subgraphs is Hive's own (@graphql-mesh/transport-http, loaded by the runtime).

/** Hive's gateway: a Node request listener that serves `/graphql`. */
export type HiveGateway = RequestListener & { dispose(): Promise<void> | void };

export const { createGatewayRuntime } = createRequire(__filename)('@graphql-hive/gateway-runtime') as {
  createGatewayRuntime(config: object): HiveGateway;
};
