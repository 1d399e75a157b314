import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { dateTimeScalar } from '../dateTimeScalar';
import { requireIdentity } from '../requestBasics';
import { requireKey } from '../requireKey';
import type { CatalogContext } from './CatalogContext';

function courseRuns(context: CatalogContext) {
  requireIdentity(context.identity);
  if (!context.courseRuns) throw new Error('loader missing for an authenticated request');
  return context.courseRuns;
}

export const catalogResolvers: GraphQLResolverMap<CatalogContext> = {
  DateTime: dateTimeScalar,
  Query: {
    courseRun: (_root: unknown, args: { key: string }, context: CatalogContext) =>
      courseRuns(context).load(args.key),
  },
  CourseRun: {
    // Every representation of one gateway fetch lands in the same loader tick: one discovery call per batch.
    // Async, so a representation without its key (requireKey) fails alone, not the whole batch.
    __resolveReference: async (reference: { key?: unknown }, context: CatalogContext) =>
      courseRuns(context).load(requireKey(reference.key, 'CourseRun', 'key')),
  },
};
