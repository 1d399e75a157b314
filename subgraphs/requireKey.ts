import { ErrorCode } from '../platform/ErrorCode';
import { codedError } from '../platform/codedError';

/**
 * An entity representation's key field, or BAD_USER_INPUT: `_entities(representations: [_Any!]!)`
 * accepts any JSON object, so a representation without its key (or with a number, an object…) reaches
 * `__resolveReference` unchecked, and must be refused as the caller's mistake.
 */
export function requireKey(value: unknown, typename: string, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw codedError(
    ErrorCode.BAD_USER_INPUT,
    `${typename} representation needs its key "${field}" (a string)`,
    {
      argument: 'representations',
    },
  );
}
