import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { CLIENT_NAME, OTHER_CLIENT } from '../../schema/checks/clientName';
import { operationUse } from '../../schema/checks/operationUse';
import type { GatewayContext } from '../GatewayContext';

export const CLIENT_NAME_HEADER = 'apollographql-client-name';
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';

/** Versions kept apart per client; later ones are counted as `other` (a client cannot grow the series). */
export const MAX_VERSIONS_PER_CLIENT = 20;
const VERSION = /^[0-9A-Za-z._+-]{1,32}$/;

type Child = ReturnType<Counter['labels']>;

/**
 * Counts which schema coordinates (`Order.total`, `Query.orderHistory(page:)`) each client asks for,
 * for `schema:check --usage-…` (docs/schema-changes.md). Cheap on the request path: a document's
 * coordinates are computed once per schema and document (Apollo Server hands the same parsed document
 * back for a query it has seen), and each request adds one to a handful of cached counter children.
 * Bounded: clients outside `clients` are `other`, a client's versions past the first
 * MAX_VERSIONS_PER_CLIENT are `other`, and coordinates can only be the schema's own.
 */
export function countFieldUsage(options: {
  clients: ReadonlySet<string>;
  metrics: Registry;
}): ApolloServerPlugin<GatewayContext> {
  const counter = new Counter({
    name: 'switchyard_field_usage_total',
    help: 'Operations asking for a schema coordinate, by client (apollographql-client-name; unlisted: other) and version',
    labelNames: ['client', 'client_version', 'coordinate'],
    registers: [options.metrics],
  });
  // schema -> document -> operation name -> coordinates; weak, so a reloaded supergraph's entries go with it.
  const coordinates = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, readonly string[]>>>();
  const versions = new Map<string, Set<string>>();
  const children = new Map<string, Map<string, Child>>();

  const coordinatesOf = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string,
  ): readonly string[] => {
    let byDocument = coordinates.get(schema);
    if (!byDocument) coordinates.set(schema, (byDocument = new WeakMap()));
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map()));
    let found = byName.get(operationName);
    if (!found)
      byName.set(
        operationName,
        (found = [...operationUse(schema, document, operationName || null).coordinates]),
      );
    return found;
  };
  const versionOf = (client: string, raw: string | undefined): string => {
    if (client === OTHER_CLIENT || !raw || !VERSION.test(raw)) return OTHER_CLIENT;
    let seen = versions.get(client);
    if (!seen) versions.set(client, (seen = new Set()));
    if (seen.has(raw)) return raw;
    if (seen.size >= MAX_VERSIONS_PER_CLIENT) return OTHER_CLIENT;
    seen.add(raw);
    return raw;
  };

  return {
    async requestDidStart({ request }) {
      const name = request.http?.headers.get(CLIENT_NAME_HEADER)?.trim();
      const client = name && CLIENT_NAME.test(name) && options.clients.has(name) ? name : OTHER_CLIENT;
      const version = versionOf(client, request.http?.headers.get(CLIENT_VERSION_HEADER)?.trim());
      const key = `${client}\n${version}`;
      return {
        async didResolveOperation({ schema, document, operationName }) {
          let labelled = children.get(key);
          if (!labelled) children.set(key, (labelled = new Map()));
          for (const coordinate of coordinatesOf(schema, document, operationName ?? '')) {
            let child = labelled.get(coordinate);
            if (!child) labelled.set(coordinate, (child = counter.labels(client, version, coordinate)));
            child.inc();
          }
        },
      };
    },
  };
}
