import { ConfigError } from '../platform/config/ConfigError';

/**
 * `<PREFIX>_URLS`, a comma-separated list of one subgraph's instances, read as the first URL plus
 * the other instances' origins (UpstreamOptions.replicaOrigins). Every instance must serve the same
 * path: the gateway sends one request path to whichever instance the pool picks.
 */
export function subgraphUrls(
  variable: string,
  list: string,
): { baseUrl: string; replicaOrigins: readonly string[] } {
  const urls = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        const url = new URL(entry);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
        return url;
      } catch {
        throw new ConfigError(`${variable}: "${entry}" is not an http(s) URL`);
      }
    });
  if (urls.length === 0) throw new ConfigError(`${variable}: lists no URL`);
  const path = urls[0]!.pathname;
  const other = urls.find((url) => url.pathname !== path);
  if (other) {
    throw new ConfigError(
      `${variable}: every instance must serve the same path (${path}), not ${other.pathname}`,
    );
  }
  const origins = urls.map((url) => url.origin);
  if (new Set(origins).size !== origins.length) throw new ConfigError(`${variable}: lists an instance twice`);
  return { baseUrl: urls[0]!.href, replicaOrigins: origins.slice(1) };
}
