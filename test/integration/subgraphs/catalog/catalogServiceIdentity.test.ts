import { createSeed } from '../../../../simulators/seed/createSeed';
import { startTestStack, type TestStack } from '../../../helpers/startTestStack';

// The whole stack: the catalog subgraph reads discovery as Switchyard's service user (a token from the
// LMS simulator), so what a learner sees of a course run no longer depends on who asked.
const seed = createSeed();
const runOf = new Map(seed.courseRuns.map((run) => [run.key, run]));
const ORDER = `query Order($number: ID!) {
  order(number: $number) { number lines { courseRun { key title marketingUrl } } }
}`;
type OrderData = {
  order: {
    number: string;
    lines: { courseRun: { key: string; title: string; marketingUrl: string | null } | null }[];
  };
};

/** A learner1 order with a line on a run that `pick` selects. */
const orderWith = (pick: (key: string) => boolean) =>
  seed.orders.find(
    (o) =>
      o.username === 'learner1' &&
      o.number.startsWith('EDX-') &&
      o.lines.some((l) => l.courseKey && pick(l.courseKey)),
  )!;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

it('shows a learner the restricted and retired runs they bought, with marketing URLs free of usernames', async () => {
  const picks = [
    (key: string) => runOf.get(key)?.restrictionType === 'custom-b2c',
    (key: string) => runOf.get(key)?.restrictionType === 'custom-b2b-enterprise',
    (key: string) => runOf.get(key)?.runType === 'paid-bootcamp',
  ];
  for (const pick of picks) {
    const order = orderWith(pick);
    const result = await stack.query<OrderData>(ORDER, {
      user: 'learner1',
      variables: { number: order.number },
    });
    expect(result.body.errors).toBeUndefined();
    const lines = result.body.data!.order.lines;
    const special = order.lines.findIndex((l) => l.courseKey && pick(l.courseKey));
    expect(lines[special]!.courseRun).toMatchObject({
      key: order.lines[special]!.courseKey,
      title: runOf.get(order.lines[special]!.courseKey!)!.title,
    });
    for (const line of lines) expect(line.courseRun?.marketingUrl ?? '').not.toMatch(/utm_|learner1/);
  }
});

it('gets one service token from the LMS for every learner’s requests', async () => {
  const lms = stack.simulators.lms!;
  const before = lms.tokensIssued();
  for (const user of ['learner1', 'learner3', 'learner4', 'learner5']) {
    const number = seed.orders.find((o) => o.username === user && o.number.startsWith('EDX-'))!.number;
    const result = await stack.query<OrderData>(ORDER, { user, variables: { number } });
    expect(result.body.errors).toBeUndefined();
  }
  // At most the one the first test fetched: tokens are per process, not per learner or request.
  expect(lms.tokensIssued()).toBe(Math.max(before, 1));
});
