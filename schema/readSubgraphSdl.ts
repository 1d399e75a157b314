import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDirectory } from './schemaDirectory';

/**
 * A subgraph's SDL, e.g. `orders.graphql`. Below both the subgraphs (each serves its own) and the
 * gateway (which composes them), so neither has to import the other to read it.
 */
export function readSubgraphSdl(file: string, schemaDir = schemaDirectory()): string {
  return readFileSync(join(schemaDir, file), 'utf8');
}
