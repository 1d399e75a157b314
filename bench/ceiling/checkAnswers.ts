import type { CeilingVariant } from './CeilingVariant';
import type { LoadDriver } from './startLoadDriver';

/**
 * The learners whose first page every variant must answer alike, as the bench's data check picks them:
 * an unknown status, a retired course run and JPY (learner1), two discounts (learner3), a line with no
 * unit price (learner10), a learner past the default fifty (learner51) and the last one with orders.
 */
export function checkedLearners(learners: readonly string[]): string[] {
  return [...new Set(['learner1', 'learner3', 'learner10', 'learner51', learners.at(-1)!])];
}

/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts): every variant's `data` for the first page of each
 * checked learner, byte for byte against B's (all variants share one set of simulators, so receipt
 * URLs match too), and no `errors`. A ceiling that answers differently measures nothing: the problems
 * are returned, and the run stops on any.
 */
export async function checkAnswers(
  variants: readonly CeilingVariant[],
  driver: LoadDriver,
  learners: readonly string[],
  authorizationOf: (username: string) => string,
): Promise<string[]> {
  const reference = variants.find((v) => v.id === 'B') ?? variants[0]!;
  const problems: string[] = [];
  for (const username of learners) {
    const authorization = authorizationOf(username);
    const answer = async (variant: CeilingVariant) =>
      (await driver.ask({ kind: 'answer', url: variant.url, authorization }, 'answer')) as {
        status: number;
        body: { data?: unknown; errors?: unknown };
      };
    const expected = await answer(reference);
    for (const variant of variants) {
      const got = variant === reference ? expected : await answer(variant);
      if (got.status !== 200 || got.body.errors !== undefined)
        problems.push(`${variant.id} ${username}: ${got.status} ${JSON.stringify(got.body).slice(0, 400)}`);
      else if (JSON.stringify(got.body.data) !== JSON.stringify(expected.body.data))
        problems.push(
          `${variant.id} ${username}: data differs from ${reference.id}'s\n${firstDifference(got.body.data, expected.body.data)}`,
        );
    }
  }
  return problems;
}

function firstDifference(a: unknown, b: unknown): string {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `  got      …${x.slice(Math.max(0, i - 80), i + 120)}\n  expected …${y.slice(Math.max(0, i - 80), i + 120)}`;
}
