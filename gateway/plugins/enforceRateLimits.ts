import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/ErrorCode';
import type { RateLimiter } from '../../platform/ratelimit/RateLimiter';
import type { GatewayContext } from '../GatewayContext';
import { rateBucketsFor } from '../rateBucketsFor';
import type { RateLimitConfig } from '../rateLimitConfig';
import type { RateLimitMetrics } from '../rateLimitMetrics';

/**
 * Counts each operation against its caller's limits once Apollo knows whether it is a query or a
 * mutation, and before the query plan runs, so a refused request costs no subgraph or upstream call.
 * Over a limit: HTTP 429, `Retry-After` and RATE_LIMITED with `extensions.retryAfter` (seconds).
 */
export function enforceRateLimits(
  config: RateLimitConfig,
  limiter: RateLimiter,
  metrics: RateLimitMetrics,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          const kind = operation?.operation ?? 'query';
          const charge = rateBucketsFor(config, contextValue.identity, contextValue.clientAddress, kind);
          const decision = await limiter.take(charge.buckets);
          metrics.shared.set(decision.store === 'redis' ? 1 : 0);
          metrics.decisions.inc({
            caller: charge.caller,
            operation: kind,
            outcome: decision.allowed ? 'allowed' : 'limited',
          });
          if (decision.allowed) return;
          const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
          throw new GraphQLError(`Too many requests: try again in ${retryAfter} s`, {
            extensions: {
              code: ErrorCode.RATE_LIMITED,
              retryAfter,
              http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
            },
          });
        },
      };
    },
  };
}
