import { Supergraph } from '@apollo/federation-internals';
import { candidateBreaks } from '../../schema/checks/candidateBreaks';
import type { ClientOperation } from '../../schema/checks/ClientOperation';
import type { PersistedQueryManifest } from '../safelist/PersistedQueryManifest';

/** The gateway's safelist is one merged manifest: its operations carry no client name. */
export const SAFELIST_CLIENT = 'safelist';

/**
 * Why a supergraph may not replace the one serving: it does not parse or build, it names a subgraph
 * this gateway has no URL for, or it breaks an operation of the safelist (the rule of
 * schema/checks/operationBreaks.ts, the same `npm run compose` and `schema:check` apply: a field
 * removed or hidden with @inaccessible, or a breaking change to a field the operation uses). Null
 * when it may. `servingSdl` is the supergraph serving now, null at start-up.
 */
export async function supergraphProblem(
  sdl: string,
  options: {
    subgraphs: readonly string[];
    manifest: PersistedQueryManifest | null;
    servingSdl?: string | null;
  },
): Promise<string | null> {
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
  if (!options.manifest || options.manifest.size === 0) return null;
  const operations: ClientOperation[] = [...options.manifest.values()].map((op) => ({
    client: SAFELIST_CLIENT,
    name: op.name,
    id: op.id,
    body: op.body,
  }));
  const { breaks } = await candidateBreaks({
    beforeSdl: options.servingSdl ?? null,
    candidateSdl: sdl,
    operations,
  });
  if (breaks.length === 0) return null;
  return `breaks persisted operations: ${breaks
    .map((b) => (b.coordinates.length > 0 ? `${b.operation} (${b.coordinates.join(', ')})` : b.operation))
    .join(', ')}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
