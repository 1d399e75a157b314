import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { buildHTTPExecutor, type HTTPExecutorOptions } from '@graphql-tools/executor-http';

// What the `hive` stack's gateway (hiveGatewayMain.ts) needs of Hive Gateway beyond its own config, two
// gaps of this install rather than choices of the team:
//
// 1. The runtime is loaded without its types: they bring graphql-yoga's global
//    GraphQLErrorExtensions augmentation into the whole program, where our Apollo gateway's HeaderMap
//    then fails to type-check. The little used of it is typed here.
// 2. Hive requires `@graphql-mesh/transport-http` for subgraphs of `kind: http`; it is not installed
//    (the CLI package that brings it needs Node >= 22.15). `httpTransport` is that module's query path
//    as it is: graphql-tools' HTTP executor (the version Hive depends on) over the fetch Hive hands
//    it, whose hooks add the propagated headers.

/** Hive's gateway: a Node request listener that serves `/graphql`. */
export type HiveGateway = RequestListener & { dispose(): Promise<void> | void };

export const { createGatewayRuntime } = createRequire(__filename)('@graphql-hive/gateway-runtime') as {
  createGatewayRuntime(config: object): HiveGateway;
};

interface TransportPayload {
  transportEntry: { location?: string; options?: Partial<HTTPExecutorOptions> };
  fetch?: HTTPExecutorOptions['fetch'];
  getDisposeReason?: () => Error | undefined;
}

/** `transports.http` for createGatewayRuntime: @graphql-mesh/transport-http's query path. */
export const httpTransport = {
  getSubgraphExecutor: ({ transportEntry, fetch, getDisposeReason }: TransportPayload) =>
    buildHTTPExecutor({
      endpoint: transportEntry.location!,
      ...transportEntry.options,
      ...(getDisposeReason ? { getDisposeReason } : {}),
      ...(fetch ? { fetch } : {}),
    }),
};
