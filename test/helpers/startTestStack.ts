import { randomBytes } from 'node:crypto';
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createLocalStack, type LocalStack } from '../../scripts/createLocalStack';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { silentLogger } from '../../platform/createLogger';
import { LOAD_TEST_THROTTLE_RATE } from '../../simulators/legacy/createLegacyEcommerceSimulator';
import type { Seed } from '../../simulators/seed/createSeed';
import type { Env } from '../../platform/config/parseEnv';
import { SUBGRAPH_SECRET_HEADER } from '../../platform/http/subgraphSecret';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    extensions?: Record<string, unknown>;
  };
}

export interface TestStack extends LocalStack {
  /** The header that lets a test call a subgraph directly, as the gateway does (`{ headers }` below). */
  subgraphHeaders: Readonly<Record<string, string>>;
  /** Token for a user under the stack's secret. */
  token(username: string, options?: { staff?: boolean; expiresInSeconds?: number }): string;
  /** POST /graphql on the gateway (or `url`), with `Authorization: JWT <token>` when a user is given. */
  query<T = Record<string, unknown>>(
    query: string,
    options?: {
      user?: string;
      staff?: boolean;
      authorization?: string;
      variables?: Record<string, unknown>;
      url?: string;
      headers?: Record<string, string>;
    },
  ): Promise<GraphQLResult<T>>;
}

/**
 * The whole stack on 127.0.0.1 port 0, on simulators unless `env` names real upstreams. Unless `env`
 * sets SUBGRAPH_SHARED_SECRET, each stack gets a random one (production-sized), so a component left on
 * the development default would fail the tests instead of passing by luck.
 */
export async function startTestStack(
  env: Env = {},
  options: {
    refundWorker?: boolean;
    /** Receives every component's spans, each as it ends. @default none (and none exported) */
    spans?: SpanExporter;
    /** @default silent */
    logger?: (component: string) => Logger;
    /** The gateway executes the subgraphs in its process (createLocalStack). @default false */
    colocated?: boolean;
    /** The simulators' world. @default createSeed() */
    seed?: Seed;
    /** Learner tokens verified against the LMS simulator's JWK set only (createLocalStack). @default false */
    jwksOnly?: boolean;
  } = {},
): Promise<TestStack> {
  const { spans } = options;
  // Tests that exercise the worker start it as its own process; by default none runs in-process.
  const stack = await createLocalStack({
    env: {
      SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex'),
      // Its own rollout-halt key: a halt one test provokes must not reach another's stack on the shared Redis.
      ORDERS_GUARD_REDIS_KEY: `test:rollout-halt:${randomBytes(8).toString('hex')}`,
      // Tests query as learner1 far more than 75 times a minute; the throttle has its own tests
      // (test/contract/legacySimulator.contract.test.ts), at the real rate.
      LEGACY_SIMULATOR_THROTTLE_RATE: LOAD_TEST_THROTTLE_RATE,
      // Likewise past the gateway's per-user limit; its tests (test/integration/gateway/rateLimits*) turn it on.
      RATE_LIMIT_ENABLED: 'false',
      // The seed's orders are years old, so the LMS's 14-day refund window would refuse every refund
      // the other tests make; the rule has its own tests (refundEligibility.test.ts), at its default.
      REFUND_WINDOW_DAYS: '36500',
      ...env,
    },
    ephemeralPorts: true,
    logger: options.logger ?? (() => silentLogger()),
    spanProcessor: spans && (() => new SimpleSpanProcessor(spans)),
    refundWorker: options.refundWorker ?? false,
    colocated: options.colocated ?? false,
    ...(options.seed ? { seed: options.seed } : {}),
    jwksOnly: options.jwksOnly ?? false,
  });
  const jwt = parseJwtEnv(env);
  const token: TestStack['token'] = (username, options = {}) => signToken(username, jwt, options);
  return {
    ...stack,
    subgraphHeaders: Object.freeze({ [SUBGRAPH_SECRET_HEADER]: stack.subgraphSecret }),
    token,
    query: async (query, options = {}) => {
      const authorization =
        options.authorization ??
        (options.user ? `JWT ${token(options.user, { staff: options.staff })}` : undefined);
      const response = await fetch(options.url ?? `${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables: options.variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
  };
}

/** Reads a REST endpoint of a simulator the way an MFE would, for side-by-side comparisons. */
export async function getJson(url: string, authorization?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  return { status: response.status, body: await response.json() };
}

/**
 * The stack's upstream settings (legacy, discovery, vendor, LMS: its simulators' URLs and clients), for
 * a component spawned as its own process against the same simulators.
 */
export function upstreamVarsOf(stack: TestStack): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stack.upstreamEnv).filter(
      (entry): entry is [string, string] =>
        typeof entry[1] === 'string' && /^(LEGACY|DISCOVERY|VENDOR|LMS)_/.test(entry[0]),
    ),
  );
}
