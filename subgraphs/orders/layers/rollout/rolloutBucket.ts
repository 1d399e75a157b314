import { createHash } from 'node:crypto';

/** Buckets per 100 %: one per basis point, so a rollout can move in steps of 0.01 %. */
export const ROLLOUT_BUCKETS = 10_000;

/**
 * A user's fixed place in every rollout, 0–9999: sha256 of the username, first 4 bytes, mod 10000.
 * A hash rather than a stored assignment: every instance agrees with no shared state, a restart
 * changes nothing, and raising the percentage only ever adds users (everyone already moved stays).
 * The modulo bias of 2^32 mod 10000 is below one part in 400 000.
 */
export function rolloutBucket(username: string): number {
  return createHash('sha256').update(username, 'utf8').digest().readUInt32BE(0) % ROLLOUT_BUCKETS;
}

/** Whether this user is in a rollout of `basisPoints` (0 = nobody, 10000 = everybody, exactly). */
export function isInRollout(username: string, basisPoints: number): boolean {
  return rolloutBucket(username) < basisPoints;
}
