import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import DataLoader from 'dataloader';
import { parse, type GraphQLSchema } from 'graphql';
import { LMS_DEV_CLIENT } from '../../platform/auth/lmsDevClient';
import { readSubgraphSdl } from '../../schema/readSubgraphSdl';
import { INCLUDE_RESTRICTED } from '../../subgraphs/catalog/backends/discovery/DiscoveryCatalogBackend';
import type { DiscoveryCourseRun } from '../../subgraphs/catalog/backends/discovery/dto';
import { toCourseRun } from '../../subgraphs/catalog/backends/discovery/toCourseRun';
import type { CourseRun } from '../../subgraphs/catalog/CourseRun';
import { dateTimeScalar } from '../../subgraphs/dateTimeScalar';

// The plain catalog subgraph: our SDL, a per-request DataLoader batching course-run keys into one
// discovery call, global fetch, and a service token from the LMS fetched when missing or expired.

const DISCOVERY = process.env.DISCOVERY_URL!;
const LMS_OAUTH2 = process.env.LMS_OAUTH2_URL!;

let token: { value: string; expiresAt: number } | undefined;

async function serviceToken(): Promise<string> {
  if (token && token.expiresAt > Date.now()) return token.value;
  const response = await fetch(`${LMS_OAUTH2}/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: process.env.LMS_OAUTH2_CLIENT_ID ?? LMS_DEV_CLIENT.clientId,
      client_secret: process.env.LMS_OAUTH2_CLIENT_SECRET ?? LMS_DEV_CLIENT.clientSecret,
      token_type: 'jwt',
    }),
  });
  if (!response.ok) throw new Error(`LMS token endpoint answered ${response.status}`);
  const body = (await response.json()) as { access_token: string; expires_in: number };
  token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in - 60) * 1000 };
  return token.value;
}

async function courseRuns(keys: readonly string[]): Promise<(CourseRun | null)[]> {
  const query = new URLSearchParams({
    keys: keys.join(','),
    limit: String(keys.length),
    offset: '0',
    exclude_utm: '1',
    include_restricted: INCLUDE_RESTRICTED,
    include_retired_run_types: '1',
  });
  const response = await fetch(`${DISCOVERY}/api/v1/course_runs/?${query}`, {
    headers: { authorization: `JWT ${await serviceToken()}` },
  });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const body = (await response.json()) as { results: DiscoveryCourseRun[] };
  const byKey = new Map(body.results.map((dto) => [dto.key, toCourseRun(dto)]));
  return keys.map((key) => byKey.get(key) ?? null);
}

export interface PlainCatalogContext {
  courseRuns: DataLoader<string, CourseRun | null>;
}

const resolvers: GraphQLResolverMap<PlainCatalogContext> = {
  DateTime: dateTimeScalar,
  Query: {
    courseRun: (_root: unknown, args: { key: string }, context: PlainCatalogContext) =>
      context.courseRuns.load(args.key),
  },
  CourseRun: {
    __resolveReference: (reference: { key: string }, context: PlainCatalogContext) =>
      context.courseRuns.load(reference.key),
  },
};

/** The plain catalog subgraph's schema: our SDL with the resolvers above (stock buildSubgraphSchema). */
export function plainCatalogSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl('catalog.graphql')),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

/** A request's context: a fresh loader batching course-run keys into one discovery call. */
export function plainCatalogContext(): PlainCatalogContext {
  return { courseRuns: new DataLoader(courseRuns) };
}
