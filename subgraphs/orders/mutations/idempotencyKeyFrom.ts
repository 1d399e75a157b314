import { ErrorCode } from '../../../platform/ErrorCode';
import { codedError } from '../../../platform/codedError';

// Printable, no spaces, 8-255 chars: enough room for UUIDs and ULIDs, too short to smuggle payloads,
// long enough that a guessed key is unlikely (and records are scoped per user anyway).
const KEY = /^[A-Za-z0-9._:~+/=-]{8,255}$/;

/**
 * Reads `Idempotency-Key`. The IETF draft makes it a structured-field string (`"…"`); bare values,
 * which most clients send, are accepted too.
 */
export function idempotencyKeyFrom(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw codedError(
      ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
      'This mutation needs an Idempotency-Key header (e.g. a UUID)',
      { http: { status: 400 } },
    );
  }
  const trimmed = header.trim();
  const value =
    trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
  if (!KEY.test(value)) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      'Idempotency-Key must be 8-255 printable characters without spaces',
      {
        argument: 'Idempotency-Key',
      },
    );
  }
  return value;
}
