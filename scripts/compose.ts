import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, schemaDirectory } from '../gateway/composeSupergraph';

// `npm run compose`: regenerate schema/supergraph.graphql from the subgraph SDLs.
try {
  const target = join(schemaDirectory(), 'supergraph.graphql');
  writeFileSync(target, composeSupergraph());
  process.stdout.write(`wrote ${target}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
