import { ErrorCode } from '../../../platform/ErrorCode';
import { classifyFailure } from '../../../upstream/classifyFailure';

// How a transport failure becomes a coded UpstreamError: which codes mean "unavailable" (retryable
// for reads) and which "never sent" (retryable even for writes). Node and undici nest the code in
// `cause` chains; the first code within four levels is the one read.
const transport = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const wrapped = (levels: number, inner: unknown) => {
  let error = inner;
  for (let i = 0; i < levels; i++) error = new Error(`fetch failed (${i})`, { cause: error });
  return error;
};

describe('classifyFailure', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', false],
    ['EPIPE', false],
    ['ENOTFOUND', true],
    ['EAI_AGAIN', true],
    ['EHOSTUNREACH', false],
    ['ENETUNREACH', false],
    ['UND_ERR_SOCKET', false],
    ['UND_ERR_CLOSED', false],
    ['UND_ERR_CONNECT_TIMEOUT', true],
  ])('%s is UPSTREAM_UNAVAILABLE (never sent: %s)', (code, neverSent) => {
    const failure = classifyFailure('legacy', transport(code), false);
    expect(failure).toMatchObject({
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
      message: 'legacy is unavailable',
      detail: { cause: code },
    });
    expect(failure.detail.neverSent).toBe(neverSent ? true : undefined);
  });

  it('reads a code nested up to four levels down its causes, and no deeper', () => {
    expect(classifyFailure('legacy', wrapped(3, transport('ECONNRESET')), false).code).toBe(
      ErrorCode.UPSTREAM_UNAVAILABLE,
    );
    const deep = classifyFailure('legacy', wrapped(4, transport('ECONNRESET')), false);
    expect(deep).toMatchObject({ code: ErrorCode.UPSTREAM_ERROR, detail: { cause: 'fetch failed (3)' } });
  });

  it('takes the outermost code: a wrapper that names its own code decides', () => {
    const outer = Object.assign(new Error('wrapper'), {
      code: 'UND_ERR_ABORTED',
      cause: transport('ECONNREFUSED'),
    });
    expect(classifyFailure('legacy', outer, false)).toMatchObject({
      code: ErrorCode.UPSTREAM_ERROR,
      detail: { cause: 'UND_ERR_ABORTED' },
    });
  });

  it('skips a cause whose code is not a string', () => {
    const odd = Object.assign(new Error('odd'), { code: 42, cause: transport('EPIPE') });
    expect(classifyFailure('legacy', odd, false)).toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
  });

  it('is UPSTREAM_ERROR, with the message as cause, for anything else', () => {
    expect(classifyFailure('legacy', new Error('boom'), false)).toMatchObject({
      code: ErrorCode.UPSTREAM_ERROR,
      message: 'legacy call failed',
      detail: { cause: 'boom' },
    });
    expect(classifyFailure('legacy', 'plain string', false).detail.cause).toBe('plain string');
    expect(classifyFailure('legacy', null, false).detail.cause).toBe('null');
  });

  it('is UPSTREAM_TIMEOUT when the attempt ran out of time, whatever the transport said', () => {
    expect(classifyFailure('legacy', transport('ECONNRESET'), true)).toMatchObject({
      code: ErrorCode.UPSTREAM_TIMEOUT,
      message: 'legacy did not answer in time',
    });
  });
});
