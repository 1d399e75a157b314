import { Pool } from 'undici';
import type { AttemptTarget } from './httpAttempt';
import type { ReplicaStatus } from './Upstream';

export interface ReplicaSetOptions {
  /** The first instance's origin plus base path; the others serve the same path. */
  base: URL;
  replicaOrigins: readonly string[];
  name: string;
  timeoutMs: number;
  pool: ConstructorParameters<typeof Pool>[1];
  now: () => number;
  /** First ejection of an instance that refused a connection; doubles per refusal in a row. @default 1000 */
  ejectBaseMs?: number;
  /** @default 30000 */
  ejectMaxMs?: number;
}

interface Replica {
  origin: string;
  target: AttemptTarget;
  refusals: number;
  ejectedUntil: number;
}

/**
 * The instances of one service, one keep-alive pool each, taken in turn. Two rules undici's
 * BalancedPool does not give, which a rolling restart needs (a subgraph instance going away while
 * the gateway is under load):
 * - a retry goes to an instance the call has not tried yet (Envoy's `previous_hosts` retry
 *   predicate), so two retries over three instances cannot all land on the one that is down;
 * - an instance that refused a connection is ejected for a while, doubling per refusal in a row
 *   (Envoy's outlier detection on consecutive connect failures), so other calls stop paying a
 *   refused attempt, and the service's one breaker does not count an instance's restart as the
 *   service failing. When every instance is ejected the calls still go out: better one more try
 *   than a refusal by us.
 */
export class ReplicaSet {
  private readonly replicas: Replica[];
  private next = 0;
  private readonly ejectBaseMs: number;
  private readonly ejectMaxMs: number;

  constructor(private readonly options: ReplicaSetOptions) {
    this.ejectBaseMs = options.ejectBaseMs ?? 1000;
    this.ejectMaxMs = options.ejectMaxMs ?? 30_000;
    this.replicas = [options.base.origin, ...options.replicaOrigins].map((origin) => ({
      origin,
      target: {
        name: options.name,
        pool: new Pool(origin, options.pool),
        origin,
        basePath: options.base.pathname,
        timeoutMs: options.timeoutMs,
      },
      refusals: 0,
      ejectedUntil: 0,
    }));
  }

  /** The next instance in turn that is in rotation and not in `tried`; the best left otherwise. */
  pick(tried: readonly string[]): AttemptTarget {
    const count = this.replicas.length;
    if (count === 1) return this.replicas[0]!.target;
    const now = this.options.now();
    let fallback: Replica | undefined;
    for (let step = 0; step < count; step++) {
      const replica = this.replicas[(this.next + step) % count]!;
      if (tried.includes(replica.origin)) continue;
      if (replica.ejectedUntil <= now) {
        this.next = (this.next + step + 1) % count;
        return replica.target;
      }
      // Of the ejected ones, the one back soonest.
      if (!fallback || replica.ejectedUntil < fallback.ejectedUntil) fallback = replica;
    }
    if (fallback) return fallback.target;
    // Every instance tried already: go round again.
    const replica = this.replicas[this.next]!;
    this.next = (this.next + 1) % count;
    return replica.target;
  }

  /** The instance at `origin` refused a connection: out of rotation for a while. */
  refused(origin: string): void {
    const replica = this.find(origin);
    if (!replica || this.replicas.length === 1) return;
    replica.refusals++;
    const ejectMs = Math.min(this.ejectMaxMs, this.ejectBaseMs * 2 ** (replica.refusals - 1));
    replica.ejectedUntil = this.options.now() + ejectMs;
  }

  /** The instance at `origin` answered: back in rotation, its refusals forgiven. */
  answered(origin: string): void {
    const replica = this.find(origin);
    if (!replica || replica.refusals === 0) return;
    replica.refusals = 0;
    replica.ejectedUntil = 0;
  }

  status(): ReplicaStatus[] {
    const now = this.options.now();
    return this.replicas.map((replica) => ({
      origin: replica.origin,
      ejectedUntil: replica.ejectedUntil > now ? new Date(replica.ejectedUntil).toISOString() : null,
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.target.pool.close()));
  }

  private find(origin: string): Replica | undefined {
    return this.replicas.find((replica) => replica.origin === origin);
  }
}
