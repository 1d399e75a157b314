import type { UpstreamResponse } from './Upstream';

/**
 * A credential one process shares for an upstream (a CachedToken behind it): what to send now, and
 * how to drop it once the upstream has refused it.
 */
export interface RenewableCredential<T> {
  /** The credential to send: the cached one, or a fresh one when there is none. */
  current(): Promise<T>;
  /** The upstream answered 401 to `value`: forget it, unless a newer one already replaced it. */
  invalidate(value: T): void;
}

/**
 * Sends with the current credential; when the upstream answers 401, drops that credential and sends
 * once more with a fresh one. A credential can die before its expiry (the issuer rotated its signing
 * key, the client was re-keyed); without this, every call would fail until the cached one expired, up
 * to an hour later. Once only: a second 401 is returned to the caller, since a credential fetched a
 * moment ago being refused will not change by asking again.
 *
 * The one place this rule lives, for every upstream called with a process credential (discovery and
 * the legacy API with the LMS service token, the vendor API with its own). Re-sending a write is
 * only correct where a 401 proves nothing was done; each caller says why its upstream is one.
 */
export async function sendRenewingOn401<T>(
  credential: RenewableCredential<T>,
  send: (value: T) => Promise<UpstreamResponse>,
  /** Told before the second attempt, e.g. to audit the renewal. */
  onRenew?: () => void,
): Promise<UpstreamResponse> {
  const refused = await credential.current();
  const response = await send(refused);
  if (response.status !== 401) return response;
  credential.invalidate(refused);
  onRenew?.();
  return send(await credential.current());
}
