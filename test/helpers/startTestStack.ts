import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { createLocalStack, type LocalStack } from '../../scripts/createLocalStack';
import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { silentLogger } from '../../platform/createLogger';
import type { Env } from '../../platform/config/parseEnv';

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

/** The whole stack on 127.0.0.1 port 0, on simulators unless `env` names real upstreams. */
export async function startTestStack(
  env: Env = {},
  options: {
    refundWorker?: boolean;
    /** Receives every component's spans, each as it ends. @default none (and none exported) */
    spans?: SpanExporter;
    /** @default silent */
    logger?: (component: string) => Logger;
  } = {},
): Promise<TestStack> {
  const { spans } = options;
  // Tests that exercise the worker start it as its own process; by default none runs in-process.
  const stack = await createLocalStack({
    env,
    ephemeralPorts: true,
    logger: options.logger ?? (() => silentLogger()),
    spanProcessor: spans && (() => new SimpleSpanProcessor(spans)),
    refundWorker: options.refundWorker ?? false,
  });
  const jwt = parseJwtEnv(env);
  const token: TestStack['token'] = (username, options = {}) => signToken(username, jwt, options);
  return {
    ...stack,
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
