import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import {
  createFaultProxy,
  type FaultProxy,
  type FaultProxyOptions,
} from '../../../simulators/faultProxy/createFaultProxy';

// Deterministic, non-repeating-looking bytes so a reordered or truncated body cannot pass.
const body = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + (i >> 8)) % 251));

interface Upstream {
  port: number;
  requests: number;
  /** Requests whose socket closed before the response finished, seen from the upstream side. */
  abortedByPeer: number;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/**
 * `/bytes/N` answers N bytes in one write, `/chunks/N` answers N 1 KiB chunks a tick apart (so
 * the proxy sees separate chunks), `/stall` sends headers and never finishes.
 */
async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = { port: 0, requests: 0, abortedByPeer: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    upstream.requests++;
    res.on('close', () => {
      if (!res.writableFinished) upstream.abortedByPeer++;
    });
    const [, route, arg] = req.url?.split('/') ?? [];
    const n = Number(arg ?? 0);
    if (route === 'bytes') {
      res.writeHead(200, { 'content-length': n }).end(body(n));
    } else if (route === 'chunks') {
      const all = body(n * 1024);
      res.writeHead(200, { 'content-length': all.length });
      const send = (i: number): void => {
        if (i === n) return void res.end();
        res.write(all.subarray(i * 1024, (i + 1) * 1024));
        setImmediate(() => send(i + 1));
      };
      send(0);
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).write('started');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  upstream.port = (server.address() as AddressInfo).port;
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return upstream;
}

async function startProxy(upstream: Upstream, extra: Partial<FaultProxyOptions> = {}): Promise<FaultProxy> {
  const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: upstream.port }, ...extra });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A fresh pool per test, so no keep-alive socket outlives a test or dodges a fault. */
function client(): Agent {
  const agent = new Agent({ keepAliveTimeout: 1000 });
  cleanups.push(() => agent.destroy());
  return agent;
}

async function get(proxy: FaultProxy, path: string, signal?: AbortSignal) {
  const started = performance.now();
  const res = await request(`${proxy.url}${path}`, { dispatcher: client(), signal });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, bytes, elapsedMs: performance.now() - started };
}

/** Reads as much body as arrives, then returns it with the error that ended the read. */
async function readUntilError(proxy: FaultProxy, path: string) {
  const res = await request(`${proxy.url}${path}`, { dispatcher: client() });
  const parts: Buffer[] = [];
  try {
    for await (const part of res.body) parts.push(part as Buffer);
  } catch (error) {
    return { received: Buffer.concat(parts), error: error as NodeJS.ErrnoException };
  }
  return { received: Buffer.concat(parts), error: undefined };
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const SOCKET_ERRORS = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'];

describe('createFaultProxy', () => {
  it('passes bytes through unchanged and counts them', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream);

    const { status, bytes } = await get(proxy, '/bytes/200000');

    expect(status).toBe(200);
    expect(bytes.equals(body(200000))).toBe(true);
    expect(upstream.requests).toBe(1);
    expect(proxy.stats()).toMatchObject({ connectionsAccepted: 1, closedByClient: 0 });
    expect(proxy.stats().bytesDown).toBeGreaterThan(200000);
    expect(proxy.stats().bytesUp).toBeGreaterThan(0);
  });

  it('delays the response by at least the latency and keeps chunk order under jitter', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { latencyMs: 150, jitterMs: 40 } });

    const { bytes, elapsedMs } = await get(proxy, '/chunks/40');

    expect(bytes.equals(body(40 * 1024))).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(150 - 40 - 2);
  });

  it('hangs: the client times out, and its abort is counted as closed by the client', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream);
    proxy.setFaults({ hang: true });

    await expect(get(proxy, '/bytes/10', AbortSignal.timeout(200))).rejects.toMatchObject({
      name: expect.stringMatching(/AbortError|TimeoutError/),
    });

    // undici may open (and drop) a spare connection after the abort, so count at least one.
    await waitFor(() => proxy.stats().closedByClient >= 1 && proxy.stats().connectionsActive === 0);
    expect(proxy.stats().bytesUp).toBeGreaterThan(0);
    expect(upstream.requests).toBe(0);
  });

  it('passes a client abort on, so the upstream sees its socket closed', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream);
    const controller = new AbortController();

    const res = await request(`${proxy.url}/stall`, { dispatcher: client(), signal: controller.signal });
    expect(res.statusCode).toBe(200);
    controller.abort();

    await waitFor(() => upstream.abortedByPeer === 1);
    expect(proxy.stats().closedByClient).toBeGreaterThanOrEqual(1);
  });

  it('resets mid-stream after resetAfterBytes', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { resetAfterBytes: 4096 } });

    const { received, error } = await readUntilError(proxy, '/bytes/65536');

    expect(SOCKET_ERRORS).toContain(error?.code);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(4096);
    expect(proxy.stats().bytesDown).toBe(4096);
    expect(proxy.stats().closedByClient).toBe(0);
  });

  it('ends the connection gracefully after closeAfterBytes, truncating the body', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { closeAfterBytes: 4096 } });

    const { received, error } = await readUntilError(proxy, '/bytes/65536');

    // undici knows the content-length, so the early FIN surfaces as an error, not a short body.
    expect(SOCKET_ERRORS).toContain(error?.code);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(4096);
    expect(body(65536).subarray(0, received.length).equals(received)).toBe(true);
  });

  it('throttles downstream bandwidth', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { bandwidthBytesPerSec: 256 * 1024 } });

    const { bytes, elapsedMs } = await get(proxy, '/bytes/65536');

    expect(bytes.equals(body(65536))).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(200); // 64 KiB at 256 KiB/s is 250 ms
  });

  it('refuses connections with a reset, before upstream is asked anything', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { refuse: true } });

    const error = await get(proxy, '/bytes/10').then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );

    expect(SOCKET_ERRORS).toContain(error?.code);
    expect(upstream.requests).toBe(0);
    expect(proxy.stats()).toMatchObject({ connectionsAccepted: 0, connectionsRefused: 1, bytesUp: 0 });
  });

  it('restores passthrough when faults are cleared', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { refuse: true } });
    await expect(get(proxy, '/bytes/10')).rejects.toBeDefined();

    proxy.clearFaults();
    const { status, bytes } = await get(proxy, '/bytes/1000');

    expect(proxy.faults()).toEqual({});
    expect(status).toBe(200);
    expect(bytes.equals(body(1000))).toBe(true);
    expect(upstream.requests).toBe(1);
  });

  it('stalls a live connection on hang and resumes it when the fault clears', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { latencyMs: 100 } });
    const pending = get(proxy, '/bytes/1000');
    await waitFor(() => upstream.requests === 1); // response is now delayed inside the proxy

    proxy.setFaults({ hang: true });
    await sleep(200);
    expect(proxy.stats().bytesDown).toBe(0);
    proxy.clearFaults();

    expect((await pending).bytes.equals(body(1000))).toBe(true);
  });

  it('close() destroys live sockets, failing clients promptly', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream, { faults: { hang: true } });
    const pending = get(proxy, '/bytes/10').then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    await waitFor(() => proxy.stats().connectionsActive === 1);

    await proxy.close();

    expect(SOCKET_ERRORS).toContain((await pending)?.code);
    expect(proxy.stats()).toMatchObject({ connectionsActive: 0, closedByClient: 0 });
  });

  it('rejects unknown or invalid faults', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy(upstream);

    expect(() => proxy.setFaults({ bogus: true } as never)).toThrow('unknown fault "bogus"');
    expect(() => proxy.setFaults({ latencyMs: -1 })).toThrow('latencyMs');
    expect(() => proxy.setFaults({ bandwidthBytesPerSec: 0 })).toThrow('bandwidthBytesPerSec');
  });
});
