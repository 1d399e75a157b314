import { z } from 'zod';
import { ErrorCode } from '../../../platform/ErrorCode';
import { expectStatus } from '../../../upstream/expectStatus';
import { parseBody } from '../../../upstream/parseBody';

// The one way an adapter refuses an answer it cannot act on: the same code, message and log detail
// from every upstream, never the upstream's body in the message.

const answer = (status: number, body: unknown = {}) => ({ status, headers: {}, body });

describe('expectStatus', () => {
  it('passes an expected status and names any other with the upstream', () => {
    expect(() => expectStatus('discovery', answer(200), 200)).not.toThrow();
    expect(() => expectStatus('legacy-ecommerce', answer(201), 200, 201)).not.toThrow();
    expect(() => expectStatus('discovery', answer(418), 200)).toThrow(
      expect.objectContaining({
        upstream: 'discovery',
        code: ErrorCode.UPSTREAM_ERROR,
        message: 'discovery answered 418',
        detail: { status: 418 },
      }),
    );
  });
});

describe('parseBody', () => {
  const schema = z.object({ count: z.number() });

  it('returns what the schema reads', () => {
    expect(parseBody('discovery', schema, { count: 3, extra: 'kept out' })).toEqual({ count: 3 });
  });

  it('turns a body the schema refuses into a malformed-body error, the reason kept for the logs', () => {
    let failure: unknown;
    try {
      parseBody('discovery', schema, { count: 'three', secret: 'from the body' });
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({
      upstream: 'discovery',
      code: ErrorCode.UPSTREAM_ERROR,
      message: 'discovery returned a malformed body',
      detail: { cause: expect.stringContaining('count') },
    });
  });
});
