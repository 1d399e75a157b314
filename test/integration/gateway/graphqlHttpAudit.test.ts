import { serverAudits } from 'graphql-http';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// The GraphQL over HTTP spec's server audits (graphql-http), run against the real gateway over HTTP:
// no MUST may fail and no SHOULD may warn. The audits are anonymous and ask `{ __typename }`, which
// the gateway serves without a token (an introspection-only document, gateway/isIntrospectionOnly.ts).

// MAYs the gateway declines on purpose: the audits send GETs without a content type or the
// `apollo-require-preflight` header, which CSRF prevention refuses (docs/api.md "GET").
const DECLINED_MAYS = new Set(['5A70', 'D6D5', '6A70']);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const audits = serverAudits({ url: () => `${stack.gatewayUrl}/graphql` });

it('runs the full audit list, MUSTs and SHOULDs among them', () => {
  expect(audits.filter((a) => a.name.startsWith('MUST ')).length).toBeGreaterThan(10);
  expect(audits.filter((a) => a.name.startsWith('SHOULD ')).length).toBeGreaterThan(15);
  for (const id of DECLINED_MAYS) expect(audits.find((a) => a.id === id)?.name).toMatch(/^MAY /);
});

it.each(audits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))('%s', async (_name, audit) => {
  const result = await audit.fn();
  const expected = DECLINED_MAYS.has(audit.id) ? 'notice' : 'ok';
  // The reason names what the gateway answered, so a failure explains itself.
  expect({ status: result.status, reason: 'reason' in result ? result.reason : undefined }).toEqual({
    status: expected,
    reason: expected === 'ok' ? undefined : expect.any(String),
  });
});
