import { ErrorCode } from '../platform/ErrorCode';
import { UpstreamError } from './UpstreamError';

// undici / libuv codes for "we could not talk to it at all" (as opposed to "it answered badly").
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// Of those, the ones raised while connecting: no connection, so not a byte of the request was sent.
// A reset or a closed socket may come after the request was written, and is not among them.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps a thrown transport error to the upstream error the rest of the code understands. */
export function classifyFailure(upstream: string, error: unknown, timedOut: boolean): UpstreamError {
  if (timedOut)
    return new UpstreamError(upstream, ErrorCode.UPSTREAM_TIMEOUT, `${upstream} did not answer in time`);
  const code = errorCode(error);
  if (code && UNAVAILABLE.has(code)) {
    return new UpstreamError(upstream, ErrorCode.UPSTREAM_UNAVAILABLE, `${upstream} is unavailable`, {
      cause: code,
      ...(NEVER_CONNECTED.has(code) ? { neverSent: true } : {}),
    });
  }
  return new UpstreamError(upstream, ErrorCode.UPSTREAM_ERROR, `${upstream} call failed`, {
    cause: code ?? String((error as { message?: unknown })?.message ?? error),
  });
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps socket errors (`cause`); look a few levels down for the first code. No instanceof:
  // errors from Node core can come from another realm (jest's sandbox, worker threads).
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
