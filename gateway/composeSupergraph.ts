import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSubgraphSdl } from '../schema/readSubgraphSdl';
import { schemaDirectory } from '../schema/schemaDirectory';

/** Subgraph names and the URLs written into the supergraph (the gateway's config overrides them). */
export const SUBGRAPHS = [
  { name: 'orders', file: 'orders.graphql', url: 'http://localhost:4001/graphql' },
  { name: 'catalog', file: 'catalog.graphql', url: 'http://localhost:4002/graphql' },
] as const;

/** Composes the subgraph SDLs into a supergraph; throws with every composition error listed. */
export function composeSupergraph(schemaDir = schemaDirectory()): string {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(readSubgraphSdl(s.file, schemaDir)) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
