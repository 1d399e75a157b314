/** Where Redis is: one server (or a managed endpoint), a Sentinel-watched primary, or a Cluster. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string; db: number; tls: boolean }
  | { kind: 'cluster'; nodes: HostPort[]; password?: string; tls: boolean };

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Reads REDIS_URL. Besides `redis://` and `rediss://` (one server), two schemes reach a topology, so
 * every component keeps one variable:
 * - `redis+sentinel://[:password@]host:port[,host:port…]/<primary name>[/<db>]` — Sentinels (port 26379
 *   by default) that name the current primary; a failover is followed without a restart;
 * - `redis+cluster://[:password@]host:port[,host:port…]` — seed nodes of a Redis Cluster.
 * A trailing `s` (`rediss+sentinel`, `rediss+cluster`) means TLS. Throws with what is wrong.
 */
export function parseRedisTarget(url: string): RedisTarget {
  const scheme = /^([a-z+]+):\/\//.exec(url)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      new URL(url);
    } catch {
      throw new Error('is not a valid URL');
    }
    return { kind: 'single', url };
  }
  const topology = /^(rediss?)\+(sentinel|cluster):\/\/(?:(?:[^:@/]*):([^@/]*)@)?([^/?#]+)(\/[^?#]*)?$/.exec(
    url,
  );
  if (!topology) {
    throw new Error(
      'must be redis://, rediss://, redis+sentinel://host:port[,host:port]/<name> or redis+cluster://host:port[,host:port]',
    );
  }
  const [, base, kind, rawPassword, hostList, path = ''] = topology;
  const tls = base === 'rediss';
  const password = rawPassword ? decodeURIComponent(rawPassword) : undefined;
  const hosts = hostList!.split(',').map((entry) => hostPort(entry, kind === 'sentinel' ? 26379 : 6379));
  if (kind === 'cluster') {
    if (path && path !== '/') throw new Error('a cluster URL takes no path (a cluster has only database 0)');
    return { kind: 'cluster', nodes: hosts, password, tls };
  }
  const [name, db = '0'] = path.split('/').filter(Boolean);
  if (!name) throw new Error('a sentinel URL names the primary: redis+sentinel://host:26379/<name>');
  if (!/^\d{1,2}$/.test(db)) throw new Error(`database "${db}" is not a number`);
  return {
    kind: 'sentinel',
    sentinels: hosts,
    name: decodeURIComponent(name),
    password,
    db: Number(db),
    tls,
  };
}

function hostPort(entry: string, defaultPort: number): HostPort {
  const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(entry.trim());
  const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
  if (!match || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** True when keys must share a hash slot for multi-key work (BullMQ's scripts): only on a Cluster. */
export const needsHashTags = (url: string): boolean => parseRedisTarget(url).kind === 'cluster';
