import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../gateway/composeSupergraph';
import { schemaDirectory } from '../schema/schemaDirectory';

// `npm run compose`: regenerate schema/supergraph.graphql from the subgraph SDLs.
try {
  const target = join(schemaDirectory(), 'supergraph.graphql');
  writeFileSync(target, composeSupergraph());
  process.stdout.write(`wrote ${target}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
