import type { IncomingMessage } from 'node:http';

/**
 * The address an anonymous request is counted under. Behind `trustedProxies` proxies that each append
 * their peer to X-Forwarded-For, the client is the entry that many places from the end: entries further
 * left were written by the client itself and could be anything. With none, the socket's peer.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (hops.length === 0) return peer;
  return hops[Math.max(0, hops.length - trustedProxies)] ?? peer;
}
