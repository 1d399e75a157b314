import type { Identity } from '../platform/auth/Identity';
import type { RateBucket } from '../platform/ratelimit/RateLimiter';
import type { RateLimitConfig, RateLimits } from './rateLimitConfig';

export type CallerClass = 'learner' | 'staff' | 'service' | 'anonymous';
export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface RateCharge {
  caller: CallerClass;
  buckets: RateBucket[];
}

/**
 * What one operation is counted against: the user's operations (or the client address's, without a
 * token) and, for a mutation, also the user's mutations. The caller's part of each key is wrapped in a
 * Redis hash tag, so both of a user's keys sit in one slot of a Redis Cluster and the script that
 * checks them together may run there.
 */
export function rateBucketsFor(
  config: RateLimitConfig,
  identity: Identity | null,
  address: string,
  operation: OperationKind,
): RateCharge {
  const prefix = `${config.keyPrefix}:ratelimit`;
  if (!identity) {
    return {
      caller: 'anonymous',
      buckets: [{ key: `${prefix}:{ip:${address}}:operations`, limit: config.anonymous }],
    };
  }
  const caller: CallerClass = config.serviceUsers.has(identity.username)
    ? 'service'
    : identity.isStaff
      ? 'staff'
      : 'learner';
  const limits: RateLimits = config[caller];
  // Encoded: a username holding `}` must not end the hash tag early.
  const who = `{user:${encodeURIComponent(identity.username)}}`;
  const buckets: RateBucket[] = [{ key: `${prefix}:${who}:operations`, limit: limits.operations }];
  if (operation === 'mutation') buckets.push({ key: `${prefix}:${who}:mutations`, limit: limits.mutations });
  return { caller, buckets };
}
