import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import type { PersistedQueryManifest } from '../safelist/PersistedQueryManifest';

/**
 * Why a supergraph may not replace the one serving: it does not parse or build, it names a subgraph
 * this gateway has no URL for, or an operation of the safelist would stop validating against it
 * (a field the MFEs ship was dropped). Null when it may.
 */
export function supergraphProblem(
  sdl: string,
  options: { subgraphs: readonly string[]; manifest: PersistedQueryManifest | null },
): string | null {
  let supergraph: Supergraph;
  try {
    supergraph = Supergraph.build(sdl);
  } catch (error) {
    return `does not build: ${firstLine(error)}`;
  }
  const unknown = supergraph
    .subgraphsMetadata()
    .map((s) => s.name)
    .filter((name) => !options.subgraphs.includes(name));
  if (unknown.length > 0) return `names subgraphs with no configured URL: ${unknown.join(', ')}`;
  if (options.manifest && options.manifest.size > 0) {
    const api = supergraph.apiSchema().toGraphQLJSSchema();
    const broken = [...options.manifest.values()].filter((op) => validate(api, parse(op.body)).length > 0);
    if (broken.length > 0) {
      return `breaks persisted operations: ${broken.map((op) => op.name || op.id).join(', ')}`;
    }
  }
  return null;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
