import { ErrorCode } from '../../../platform/ErrorCode';
import { errorsSeen, requestOutcome } from '../../../gateway/requestOutcome';

// How a finished request is counted (switchyard_graphql_requests_total): the edges the HTTP tests
// (test/integration/gateway/requestMetrics.test.ts) do not reach one by one.

const coded = (...codes: (string | undefined)[]) => codes.map((code) => ({ extensions: { code } }));

describe('errorsSeen', () => {
  it('is none without errors', () => {
    expect(errorsSeen(undefined)).toBe('none');
    expect(errorsSeen([])).toBe('none');
  });

  it('is refusals when every code is a refusal, ours or Apollo’s', () => {
    expect(errorsSeen(coded(ErrorCode.RATE_LIMITED))).toBe('refusals');
    expect(errorsSeen(coded(ErrorCode.REFUND_NOT_ELIGIBLE, 'GRAPHQL_VALIDATION_FAILED'))).toBe('refusals');
    expect(errorsSeen(coded('PERSISTED_QUERY_NOT_FOUND'))).toBe('refusals');
  });

  it('is failures when any code is a failure, unknown or missing', () => {
    expect(errorsSeen(coded(ErrorCode.NOT_FOUND, ErrorCode.UPSTREAM_TIMEOUT))).toBe('failures');
    expect(errorsSeen(coded(ErrorCode.UPSTREAM_RATE_LIMITED))).toBe('failures');
    expect(errorsSeen(coded('SOMETHING_NEW'))).toBe('failures');
    expect(errorsSeen(coded(undefined))).toBe('failures');
    expect(errorsSeen([{}])).toBe('failures');
  });
});

describe('requestOutcome', () => {
  it.each([
    [200, true, 'none', 'ok'],
    [200, true, undefined, 'ok'],
    [200, true, 'refusals', 'refused'],
    [200, true, 'failures', 'error'],
    [400, true, 'refusals', 'refused'],
    [401, true, undefined, 'refused'],
    [413, true, undefined, 'refused'],
    [429, true, 'refusals', 'refused'],
    [500, true, 'failures', 'error'],
    [503, true, undefined, 'error'],
    [200, false, 'none', 'error'],
    [200, false, undefined, 'error'],
  ] as const)('status %d, written whole %s, errors %s: %s', (status, completed, errors, outcome) => {
    expect(requestOutcome(status, completed, errors)).toBe(outcome);
  });
});
