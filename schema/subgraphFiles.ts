/** Subgraph names, their SDL files in schema/, and the URLs written into the supergraph (the gateway's config overrides them). */
export const SUBGRAPHS = [
  { name: 'orders', file: 'orders.graphql', url: 'http://localhost:4001/graphql' },
  { name: 'catalog', file: 'catalog.graphql', url: 'http://localhost:4002/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];
