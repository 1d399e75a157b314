import { isDeepStrictEqual } from 'node:util';

/**
 * The same-data check's comparison of two stacks' answers to one page (runRounds.ts): equal, or equal
 * but for the one documented difference between the two federation runtimes, or different.
 *
 * That difference: when the catalog knows no course run for a line's key (learner1's retired run), its
 * `_entities` answer is null there and `courseRun` resolves to null in both gateways. Apollo's gateway
 * answers that with `courseRun: null` and files the non-null `CourseRun.title` it could not complete
 * under `extensions.valueCompletion`; Hive Gateway (graphql-tools, as the GraphQL spec's error
 * propagation says) reports it in `errors`, masked as an INTERNAL_SERVER_ERROR. Same data, same paths,
 * another envelope. Anything beyond that (other data, another error, another path, a status) differs.
 */

export interface Answer {
  status: number;
  body: unknown;
}

export type Comparison = { same: true; note?: string } | { same: false; why: string };

interface Finding {
  path?: unknown;
  extensions?: { code?: unknown };
}

interface Body {
  data?: unknown;
  errors?: Finding[];
  extensions?: { valueCompletion?: Finding[] };
}

const pathsOf = (findings: readonly Finding[]) => findings.map((f) => JSON.stringify(f.path)).sort();

/** `apollo` (data + extensions.valueCompletion only) and `hive` (data + errors only) say the same. */
function sameValueCompletion(apollo: Body, hive: Body): string | undefined {
  const completion = apollo.extensions?.valueCompletion;
  const apolloKeys = Object.keys(apollo).sort().join();
  const hiveKeys = Object.keys(hive).sort().join();
  const extensionKeys = Object.keys(apollo.extensions ?? {}).join();
  if (
    apolloKeys !== 'data,extensions' ||
    extensionKeys !== 'valueCompletion' ||
    hiveKeys !== 'data,errors' ||
    !Array.isArray(completion) ||
    !Array.isArray(hive.errors) ||
    !isDeepStrictEqual(apollo.data, hive.data) ||
    !hive.errors.every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR') ||
    !isDeepStrictEqual(pathsOf(completion), pathsOf(hive.errors))
  )
    return undefined;
  return pathsOf(hive.errors).join(' ');
}

/** Compares `answer` with `reference` (either may be the Hive one): equal, equivalent, or not. */
export function compareAnswers(answer: Answer, reference: Answer): Comparison {
  if (isDeepStrictEqual(answer, reference)) return { same: true };
  const a = answer.body as Body;
  const b = reference.body as Body;
  const paths =
    answer.status === 200 && reference.status === 200
      ? (sameValueCompletion(b, a) ?? sameValueCompletion(a, b))
      : undefined;
  if (paths === undefined) return { same: false, why: 'different answers' };
  return {
    same: true,
    note: `same data; value completion filed under errors by one, extensions.valueCompletion by the other, at ${paths}`,
  };
}
