import { EventEmitter, once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProxyFaults, type ProxyFaults } from './Faults';

export type { ProxyFaults } from './Faults';

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** @default 0 (a free port) */
  port?: number;
  /** Faults in force from the first connection. */
  faults?: ProxyFaults;
  /** Source of jitter; inject a seeded one for reproducible timings. */
  random?: () => number;
}

export interface FaultProxyStats {
  /** Connections handed to the forwarding path (refused ones are not accepted). */
  connectionsAccepted: number;
  connectionsActive: number;
  connectionsRefused: number;
  /** Bytes received from clients, including those a hang swallowed. */
  bytesUp: number;
  /** Bytes written to clients. */
  bytesDown: number;
  /** Connections whose client closed (FIN, RST or error) before upstream or the proxy did. */
  closedByClient: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Replaces the whole fault set; see `ProxyFaults` for what reaches live connections. */
  setFaults(faults: ProxyFaults): void;
  clearFaults(): void;
  faults(): ProxyFaults;
  stats(): FaultProxyStats;
  /** Destroys every live socket and stops listening. */
  close(): Promise<void>;
}

// Above this many undelivered downstream bytes upstream is paused, so a slow or delayed client
// pushes back on the upstream server instead of the proxy buffering the whole response.
const HIGH_WATER_BYTES = 64 * 1024;
// Throttled writes go out in slices of this many seconds' worth, so throughput is smooth.
const THROTTLE_SLICE_SEC = 0.05;

/** A TCP proxy in front of `target` whose faults tests switch at runtime (a toxiproxy stand-in). */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let faults = parseProxyFaults(options.faults ?? {});
  const random = options.random ?? Math.random;
  // Connections stalled by `hang` wait for the next fault change rather than polling.
  const changes = new EventEmitter().setMaxListeners(0);
  const stats: FaultProxyStats = {
    connectionsAccepted: 0,
    connectionsActive: 0,
    connectionsRefused: 0,
    bytesUp: 0,
    bytesDown: 0,
    closedByClient: 0,
  };
  const live = new Set<() => Promise<void>>();
  let closing = false;

  // Half-open lets a client FIN reach upstream while the response is still being delivered.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    if (faults.refuse || closing) {
      stats.connectionsRefused++;
      client.resetAndDestroy();
      return;
    }
    stats.connectionsAccepted++;
    stats.connectionsActive++;
    forward(client);
  });

  function forward(client: Socket): void {
    const abort = new AbortController();
    const { signal } = abort;
    let closer: 'client' | 'upstream' | 'proxy' | undefined;
    const markCloser = (who: NonNullable<typeof closer>) => {
      if (closer) return;
      closer = who;
      if (who === 'client') stats.closedByClient++;
    };
    // Under hang no upstream connection is made at all: the request must not reach the server.
    const upstream = faults.hang ? undefined : connect({ ...options.target, allowHalfOpen: true });
    const kill = async () => {
      markCloser('proxy');
      client.destroy();
      upstream?.destroy();
      // The server's own close callback can beat the socket's 'close' listeners, which keep stats.
      await closed;
    };
    live.add(kill);

    client.on('data', (chunk: Buffer) => (stats.bytesUp += chunk.length));
    client.on('end', () => markCloser('client'));
    client.on('error', () => markCloser('client'));
    client.on('close', () => {
      markCloser('client');
      abort.abort();
      upstream?.destroy();
      live.delete(kill);
      stats.connectionsActive--;
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    if (!upstream) {
      // The 'data' listener reads and discards the request; a client FIN means it gave up, and
      // answering it lets the socket close instead of lingering half-open.
      client.on('end', () => client.end());
      return;
    }

    const target = upstream;
    client.pipe(target);
    // An upstream failure is passed on as a reset, the closest a proxy can get to "it broke".
    target.on('error', () => {
      markCloser('upstream');
      client.resetAndDestroy();
    });

    const queue: Array<{ chunk: Buffer; arrivedAt: number }> = [];
    let queuedBytes = 0;
    let sentBytes = 0;
    let upstreamEnded = false;
    let pumping = false;

    target.on('data', (chunk: Buffer) => {
      queue.push({ chunk, arrivedAt: performance.now() });
      queuedBytes += chunk.length;
      if (queuedBytes > HIGH_WATER_BYTES) target.pause();
      void pump();
    });
    target.on('end', () => {
      markCloser('upstream');
      upstreamEnded = true;
      void pump();
    });

    // A single sequential pump is what keeps chunk order under jitter.
    async function pump(): Promise<void> {
      if (pumping) return;
      pumping = true;
      try {
        for (let item = queue.shift(); item; item = queue.shift()) {
          await deliver(item.chunk, item.arrivedAt);
          queuedBytes -= item.chunk.length;
          if (target.isPaused() && queuedBytes <= HIGH_WATER_BYTES) target.resume();
        }
        if (upstreamEnded && !client.destroyed) client.end();
      } catch {
        // Aborted or cut: the connection is already being torn down.
      } finally {
        pumping = false;
      }
    }

    async function deliver(chunk: Buffer, arrivedAt: number): Promise<void> {
      const { latencyMs = 0, jitterMs = 0 } = faults;
      const wait = arrivedAt + Math.max(0, latencyMs + (random() * 2 - 1) * jitterMs) - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      for (let rest = chunk; ;) {
        // Limits are checked after the last write too, so a reset lands right at the boundary.
        const { resetAfterBytes = Infinity, closeAfterBytes = Infinity, bandwidthBytesPerSec: rate } = faults;
        const limit = Math.min(resetAfterBytes, closeAfterBytes);
        if (sentBytes >= limit) cut(resetAfterBytes <= closeAfterBytes ? 'reset' : 'close');
        if (rest.length === 0) return;
        if (faults.hang) {
          await once(changes, 'change', { signal });
          continue;
        }
        let size = Math.min(rest.length, limit - sentBytes);
        if (rate) size = Math.min(size, Math.max(1, Math.floor(rate * THROTTLE_SLICE_SEC)));
        if (rate) await sleep((size / rate) * 1000, undefined, { signal });
        // Waiting for each write to flush is the downstream half of backpressure, and it puts the
        // bytes on the wire before a reset that follows them.
        const slice = rest.subarray(0, size);
        await new Promise<void>((resolve, reject) => client.write(slice, (e) => (e ? reject(e) : resolve())));
        sentBytes += size;
        stats.bytesDown += size;
        rest = rest.subarray(size);
      }
    }

    function cut(how: 'reset' | 'close'): never {
      markCloser('proxy');
      target.destroy();
      if (how === 'reset') client.resetAndDestroy();
      else client.end();
      abort.abort();
      throw new Error(`connection cut (${how})`);
    }
  }

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFaults(next) {
      faults = parseProxyFaults(next);
      changes.emit('change');
    },
    clearFaults() {
      faults = {};
      changes.emit('change');
    },
    faults: () => ({ ...faults }),
    stats: () => ({ ...stats }),
    async close() {
      closing = true;
      await Promise.all([...live].map((kill) => kill()));
      if (!server.listening) return;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
