import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { close, listen } from '../../platform/http/listen';

export interface HoldingProxy {
  url: string;
  /**
   * While on, the answer to every write the predicate picks is held once the upstream has answered
   * it — the upstream has committed, the caller has heard nothing: the window a crash must hit.
   */
  hold: boolean;
  /** Writes whose upstream answer arrived (held or not), in order: the proof that the upstream committed. */
  readonly committed: {
    method: string;
    path: string;
    status: number;
    /** As the caller sent them: the key it forwarded upstream and the W3C trace context it joined. */
    idempotencyKey: string | null;
    traceparent: string | null;
  }[];
  /** Requests forwarded so far, reads included: whether a request reached the backend at all. */
  readonly forwarded: () => number;
  /** Resolves once `count` answers are being held. */
  whenHeld(count?: number): Promise<void>;
  /** Lets every held answer go to its caller (whoever is still there to read it). */
  release(): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/**
 * An HTTP reverse proxy in front of a simulator that can hold a write's answer after the upstream
 * applied it. The TCP fault proxy cannot do this deterministically: it does not know where one HTTP
 * exchange ends, and delaying every downstream byte would delay the reads that come before the write.
 */
export async function startHoldingProxy(
  target: string,
  isWrite: (method: string, path: string) => boolean,
): Promise<HoldingProxy> {
  const pool = new Pool(target, { connections: 64 });
  const held: (() => void)[] = [];
  const heldWaiters: { count: number; resolve: () => void }[] = [];
  const committed: HoldingProxy['committed'] = [];
  let forwarded = 0;
  const notify = () => {
    for (const waiter of [...heldWaiters])
      if (held.length >= waiter.count) {
        heldWaiters.splice(heldWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  };
  const proxy: HoldingProxy = {
    url: '',
    hold: false,
    committed,
    forwarded: () => forwarded,
    whenHeld: (count = 1) =>
      held.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => heldWaiters.push({ count, resolve })),
    release: () => held.splice(0).forEach((go) => go()),
    close: async () => {
      proxy.release();
      await close(server, 500);
      await pool.close();
    },
  };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !HOP_BY_HOP.has(name) && name !== 'host') headers[name] = value;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    forwarded++;
    const upstream = await pool.request({
      method: method as 'GET',
      path,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    if (isWrite(method, path)) {
      committed.push({
        method,
        path,
        status: upstream.statusCode,
        idempotencyKey: headers['idempotency-key'] ?? null,
        traceparent: headers.traceparent ?? null,
      });
      if (proxy.hold) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          notify();
        });
      }
    }
    if (res.destroyed) return; // the caller died while its answer was held
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(upstream.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'content-length') out[name] = value;
    res.writeHead(upstream.statusCode, out);
    res.end(body);
  };
  const server = createServer((req, res) => {
    forward(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      else res.destroy();
    });
  });
  proxy.url = await listen(server, 0);
  return proxy;
}
