import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { ErrorCode } from '../../platform/ErrorCode';
import { codedError } from '../../platform/codedError';
import type { RateLimiter } from '../../platform/ratelimit/RateLimiter';
import type { GatewayContext } from '../GatewayContext';
import type { RateLimitConfig } from '../rateLimitConfig';
import type { ApqConfig } from '../safelist/apqConfig';

/** The window APQ_REGISTRATIONS_PER_HOUR is counted over: its limiter is built with this window. */
export const APQ_REGISTRATION_WINDOW_MS = 3_600_000;

/** A user's registration count: hash-tagged like their other rate-limit keys (rateBucketsFor.ts). */
export const apqRegistrationKey = (config: RateLimitConfig, username: string): string =>
  `${config.keyPrefix}:ratelimit:{user:${encodeURIComponent(username)}}:apq-registrations`;

/**
 * Who may park a query in the shared APQ store, and how much. Apollo Server stores a registration
 * (the query sent with `extensions.persistedQuery`) once every `didResolveOperation` hook has passed,
 * so a refusal here stores nothing. A registration is refused when the caller is anonymous
 * (UNAUTHENTICATED: lookups by hash stay open to them), when the query text is over APQ_MAX_BYTES
 * (PERSISTED_QUERY_TOO_LARGE: bytes as sent, so comments and whitespace count), or when the user has
 * made APQ_REGISTRATIONS_PER_HOUR already (RATE_LIMITED). The same query sent without the extension
 * still runs: only the storing is refused.
 */
export function guardApqRegistrations(
  apq: ApqConfig,
  rateLimit: RateLimitConfig,
  limiter: RateLimiter,
  registry: Registry,
): ApolloServerPlugin<GatewayContext> {
  const registrations = new Counter({
    name: 'switchyard_apq_registrations_total',
    help: 'APQ registrations checked: admitted (stored unless another check refuses the operation), anonymous, too_large, limited',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, metrics, source }) {
          // Apollo's own flag: the query came with a persistedQuery hash, which it will store next.
          if (!metrics.persistedQueryRegister) return;
          if (!contextValue.identity) {
            registrations.inc({ outcome: 'anonymous' });
            throw codedError(
              ErrorCode.UNAUTHENTICATED,
              'Registering a persisted query needs authentication: send Authorization: JWT <token>, or the query without extensions.persistedQuery',
              { http: { status: 401 } },
            );
          }
          const bytes = Buffer.byteLength(source, 'utf8');
          if (bytes > apq.maxBytes) {
            registrations.inc({ outcome: 'too_large' });
            throw codedError(
              ErrorCode.PERSISTED_QUERY_TOO_LARGE,
              `A persisted query may be at most ${apq.maxBytes} bytes (comments and whitespace count); this one is ${bytes}: send it without extensions.persistedQuery`,
              { http: { status: 400 }, maxBytes: apq.maxBytes, bytes },
            );
          }
          const decision = await limiter.take([
            {
              key: apqRegistrationKey(rateLimit, contextValue.identity.username),
              limit: apq.registrationsPerHour,
            },
          ]);
          registrations.inc({ outcome: decision.allowed ? 'admitted' : 'limited' });
          if (decision.allowed) return;
          const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
          throw new GraphQLError(
            `Too many persisted-query registrations (${apq.registrationsPerHour} an hour): try again in ${retryAfter} s, or send the query without extensions.persistedQuery`,
            {
              extensions: {
                code: ErrorCode.RATE_LIMITED,
                retryAfter,
                http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
              },
            },
          );
        },
      };
    },
  };
}
