import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * What clients can query: the supergraph without its federation machinery and without anything marked
 * `@inaccessible`. Operations are checked against this, never against the supergraph itself, so that a
 * field hidden with `@inaccessible` counts as gone (it is, for every client). Throws when the SDL does
 * not build.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
