import { composeServices } from '@apollo/composition';
import { getLocation, GraphQLError, parse, Source, type DocumentNode } from 'graphql';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
  /** Where the SDL came from, e.g. `schema/orders.graphql`: composition's locations name it. */
  file: string;
}

/** One of composition's errors, as composition worded it, with where in which file. */
export interface CompositionProblem {
  message: string;
  /** Composition's own code, e.g. `INVALID_GRAPHQL`, `FIELD_TYPE_MISMATCH`; `GRAPHQL_PARSE_FAILED` for a file that does not parse. */
  code: string;
  locations: { file: string; line: number; column: number }[];
}

export type CompositionOutcome =
  { ok: true; supergraphSdl: string } | { ok: false; problems: CompositionProblem[] };

/**
 * Apollo's composition over the given SDLs, its errors kept as it wrote them. Each SDL is parsed as a
 * named Source, so composition's errors point at file:line:column rather than at an anonymous string.
 */
export function composeSubgraphs(subgraphs: readonly SubgraphSdl[]): CompositionOutcome {
  const parsed: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const problems: CompositionProblem[] = [];
  for (const subgraph of subgraphs) {
    try {
      parsed.push({
        name: subgraph.name,
        url: subgraph.url,
        typeDefs: parse(new Source(subgraph.sdl, subgraph.file)),
      });
    } catch (error) {
      problems.push(problemOf(error, subgraph.file, 'GRAPHQL_PARSE_FAILED', `[${subgraph.name}] `));
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const result = composeServices(parsed);
  if (result.errors)
    return { ok: false, problems: result.errors.map((e) => problemOf(e, null, 'COMPOSITION_FAILED')) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}

function problemOf(
  error: unknown,
  file: string | null,
  fallbackCode: string,
  prefix = '',
): CompositionProblem {
  if (!(error instanceof GraphQLError)) {
    return {
      message: prefix + String(error instanceof Error ? error.message : error),
      code: fallbackCode,
      locations: [],
    };
  }
  const code = typeof error.extensions.code === 'string' ? error.extensions.code : fallbackCode;
  // Each node in its own file: GraphQLError's `locations` would place them all in the first node's source.
  const fromNodes = (error.nodes ?? []).flatMap((node) => {
    if (!node.loc) return [];
    const { line, column } = getLocation(node.loc.source, node.loc.start);
    return [{ file: node.loc.source.name, line, column }];
  });
  const locations =
    fromNodes.length > 0
      ? fromNodes
      : (error.locations ?? []).map((l) => ({
          file: error.source?.name ?? file ?? '',
          line: l.line,
          column: l.column,
        }));
  return { message: prefix + error.message, code, locations };
}
