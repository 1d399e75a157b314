import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../../gateway/composeSupergraph';
import { schemaDirectory } from '../../schema/schemaDirectory';

it('the committed supergraph equals a fresh composition of the subgraph SDLs (run `npm run compose`)', () => {
  const committed = readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8');
  expect(composeSupergraph()).toBe(committed);
});
