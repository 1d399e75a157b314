import { createHash } from 'node:crypto';
import type { Seed } from './createSeed';

/**
 * The LMS user id (`auth_user.id`) the simulators give a username: derived from the name, so the LMS
 * simulator's accounts API and the vendor simulator's customers (`edx-lms_user_id`) agree without
 * sharing state. Six digits, never the service user's 9001.
 */
export function lmsUserIdOf(username: string): number {
  return 100_000 + (createHash('sha256').update(`lms-user:${username}`).digest().readUInt32BE(0) % 900_000);
}

/** Every learner of the seed, legacy or vendor, as the LMS knows them: username → LMS user id. */
export function seedLmsAccounts(seed: Seed): Map<string, number> {
  const usernames = [...seed.orders, ...(seed.vendorOrders ?? [])].map((order) => order.username);
  return new Map([...new Set(usernames)].sort().map((username) => [username, lmsUserIdOf(username)]));
}
