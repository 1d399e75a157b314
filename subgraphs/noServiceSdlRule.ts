import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses `_service` (the federation field that returns the subgraph's whole SDL) where
 * introspection is off: it tells as much as `__schema` does. The gateway never asks for it — it reads
 * the supergraph composed at build time (schema/supergraph.graphql) — so only tools would miss it,
 * and they can be pointed at the SDL files in schema/.
 */
export const noServiceSdlRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '_service') return;
    if (context.getParentType() !== context.getSchema().getQueryType()) return;
    context.reportError(
      new GraphQLError('_service is not allowed: SUBGRAPH_INTROSPECTION is off', { nodes: [node] }),
    );
  },
});
