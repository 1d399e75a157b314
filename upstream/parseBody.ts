import type { z } from 'zod';
import { ErrorCode } from '../platform/ErrorCode';
import { UpstreamError } from './UpstreamError';

/**
 * The body as `schema` reads it, or UPSTREAM_ERROR "<upstream> returned a malformed body": a field we
 * need that is missing or mistyped is the upstream's fault, and the schema's complaint goes to the logs
 * only (it may quote the body).
 */
export function parseBody<S extends z.ZodType>(upstream: string, schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw malformedBody(upstream, parsed.error);
  return parsed.data;
}

/**
 * The failure a body we cannot read becomes: one that failed its schema, or whose values make no sense
 * to the domain mapping (a timestamp that is none, an unknown currency). `cause` is kept for the logs.
 */
export function malformedBody(upstream: string, cause?: unknown, status?: number): UpstreamError {
  return new UpstreamError(upstream, ErrorCode.UPSTREAM_ERROR, `${upstream} returned a malformed body`, {
    ...(status !== undefined ? { status } : {}),
    ...(cause !== undefined
      ? { cause: cause instanceof Error ? cause.message.slice(0, 300) : String(cause).slice(0, 300) }
      : {}),
  });
}
