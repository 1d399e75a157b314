import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** Subgraph names and the URLs written into the supergraph (the gateway's config overrides them). */
export const SUBGRAPHS = [
  { name: 'orders', file: 'orders.graphql', url: 'http://localhost:4001/graphql' },
  { name: 'catalog', file: 'catalog.graphql', url: 'http://localhost:4002/graphql' },
] as const;

export function readSubgraphSdl(file: string, schemaDir = schemaDirectory()): string {
  return readFileSync(join(schemaDir, file), 'utf8');
}

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

/** `schema/` at the repo root, whether running from sources (ts-jest) or from `dist/`. */
export function schemaDirectory(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'schema');
    try {
      readFileSync(join(candidate, 'orders.graphql'));
      return candidate;
    } catch {
      dir = join(dir, '..');
    }
  }
  throw new Error('schema/ directory not found');
}
