import { composeSubgraphs } from '../schema/checks/composeSubgraphs';
import { readSubgraphSdl } from '../schema/readSubgraphSdl';
import { schemaDirectory } from '../schema/schemaDirectory';
import { SUBGRAPHS } from '../schema/subgraphFiles';

export { SUBGRAPHS };

/** Composes the subgraph SDLs into a supergraph; throws with every composition error listed. */
export function composeSupergraph(schemaDir = schemaDirectory()): string {
  const result = composeSubgraphs(
    SUBGRAPHS.map((s) => ({
      name: s.name,
      url: s.url,
      sdl: readSubgraphSdl(s.file, schemaDir),
      file: s.file,
    })),
  );
  if (!result.ok) {
    throw new Error(`Composition failed:\n${result.problems.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
