import { createHash } from 'node:crypto';

/**
 * A stable pseudonym for logs: the same user gives the same 16 hex digits in every line and on every
 * instance, so mismatches can be grouped per user without the logs carrying the username itself.
 */
export function usernameHash(username: string): string {
  return createHash('sha256').update(`switchyard-shadow:${username}`, 'utf8').digest('hex').slice(0, 16);
}
