import { GraphQLError } from 'graphql';
import { idempotencyKeyFrom } from '../../../subgraphs/orders/mutations/idempotencyKeyFrom';

function refusal(header: string | undefined): GraphQLError {
  try {
    idempotencyKeyFrom(header);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(header)} was accepted`);
}

describe('idempotencyKeyFrom', () => {
  it.each([undefined, '', '   '])('asks for a key when the header is %p, as an HTTP 400', (header) => {
    const error = refusal(header);
    expect(error.message).toBe('This mutation needs an Idempotency-Key header (e.g. a UUID)');
    expect(error.extensions).toEqual({ code: 'IDEMPOTENCY_KEY_REQUIRED', http: { status: 400 } });
  });

  it('takes a bare key, and the structured-field string form without its quotes', () => {
    expect(idempotencyKeyFrom('abc12345')).toBe('abc12345');
    expect(idempotencyKeyFrom('"abc12345"')).toBe('abc12345');
    // Surrounding whitespace is not part of a header value (RFC 9110, 5.5).
    expect(idempotencyKeyFrom('  abc12345 ')).toBe('abc12345');
    expect(idempotencyKeyFrom(' "abc12345"  ')).toBe('abc12345');
  });

  it.each(['abc123456"', '"abc123456', '"', '""', '"abc 12345"', 'abc1234', 'a'.repeat(256), 'abc12345;x'])(
    // A lone quote is not a key character, and is never stripped: what is left after taking two
    // characters off 'abc123456"' would be a valid key.
    'refuses %p as BAD_USER_INPUT',
    (header) => {
      const error = refusal(header);
      expect(error.message).toBe('Idempotency-Key must be 8-255 printable characters without spaces');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'Idempotency-Key' });
    },
  );

  it('takes keys at both length bounds', () => {
    expect(idempotencyKeyFrom('k'.repeat(8))).toBe('kkkkkkkk');
    expect(idempotencyKeyFrom(`"${'k'.repeat(255)}"`)).toHaveLength(255);
  });
});
