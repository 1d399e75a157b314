import { compareAnswers, type Answer } from '../../../bench/sameAnswer';

// learner1's page as the Apollo stacks and Hive Gateway answer it (trimmed): the retired course run's
// line has `courseRun: null` in both; Apollo files the value it could not complete under
// extensions.valueCompletion, Hive under errors, masked.
const PATH = ['orderHistory', 'orders', 3, 'lines', 0, 'courseRun', 'title'];
const data = {
  orderHistory: { count: 45, orders: [{ number: 'EDX-100004', lines: [{ courseRun: null }] }] },
};
const apollo: Answer = {
  status: 200,
  body: {
    data,
    extensions: {
      valueCompletion: [
        {
          message: 'Cannot return null for non-nullable field CourseRun.title.',
          path: PATH,
          extensions: { code: 'INVALID_GRAPHQL' },
        },
      ],
    },
  },
};
const hive = (
  overrides: { data?: unknown; path?: unknown[]; code?: string; status?: number } = {},
): Answer => ({
  status: overrides.status ?? 200,
  body: {
    errors: [
      {
        message: 'Unexpected error.',
        locations: [{ line: 11, column: 54 }],
        path: overrides.path ?? PATH,
        extensions: { code: overrides.code ?? 'INTERNAL_SERVER_ERROR' },
      },
    ],
    data: overrides.data ?? data,
  },
});

describe('the same-data check between two stacks (sameAnswer)', () => {
  it('passes equal answers with no note', () => {
    expect(compareAnswers(JSON.parse(JSON.stringify(apollo)) as Answer, apollo)).toEqual({ same: true });
  });

  it("passes Hive's envelope for the value Apollo could not complete, in either order, with a note", () => {
    for (const comparison of [compareAnswers(hive(), apollo), compareAnswers(apollo, hive())]) {
      expect(comparison.same).toBe(true);
      expect(comparison).toMatchObject({ note: expect.stringContaining(JSON.stringify(PATH)) });
    }
  });

  it('fails other data, another path, another code or status, and a plain error without the reference', () => {
    const other = { orderHistory: { ...data.orderHistory, count: 44 } };
    expect(compareAnswers(hive({ data: other }), apollo).same).toBe(false);
    expect(compareAnswers(hive({ path: ['orderHistory', 'count'] }), apollo).same).toBe(false);
    expect(compareAnswers(hive({ code: 'UNAUTHENTICATED' }), apollo).same).toBe(false);
    expect(compareAnswers(hive({ status: 500 }), apollo).same).toBe(false);
    // The reference without the valueCompletion finding: Hive's error is a real difference.
    expect(compareAnswers(hive(), { status: 200, body: { data } }).same).toBe(false);
    // Both envelopes at once is not the documented difference either.
    const both = { status: 200, body: { ...(hive().body as object), extensions: { valueCompletion: [] } } };
    expect(compareAnswers(both, apollo).same).toBe(false);
  });
});
