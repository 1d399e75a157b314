import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen } from '../../platform/http/listen';

export interface TestBalancer {
  url: string;
  /** Requests that found no ready backend, or failed on every one tried. */
  failures: number;
  close(): Promise<void>;
}

/**
 * What a Kubernetes Service and its proxy do for a rolling restart, on 127.0.0.1: round-robin over
 * the backends whose `/readyz` answered 200 at the last poll, and a request whose connection is
 * refused or reset before any answer byte goes to the next backend (as Envoy's connect-failure retry
 * does). An answer, once started, is passed on as it is: a 5xx is the backend's, not retried here.
 */
export async function startTestBalancer(backends: string[], pollMs = 50): Promise<TestBalancer> {
  const ready = new Set<string>();
  let next = 0;
  let closed = false;
  const poll = async () => {
    while (!closed) {
      await Promise.all(
        backends.map(async (backend) => {
          const ok = await fetch(`${backend}/readyz`, { signal: AbortSignal.timeout(500) })
            .then((r) => r.status === 200)
            .catch(() => false);
          if (ok) ready.add(backend);
          else ready.delete(backend);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  const polling = poll();
  const balancer: TestBalancer = { url: '', failures: 0, close: async () => undefined };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, tried: Set<string>) => {
    const candidates = backends.filter((b) => ready.has(b) && !tried.has(b));
    if (candidates.length === 0) {
      balancer.failures++;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no ready backend');
      return;
    }
    const backend = candidates[next++ % candidates.length]!;
    tried.add(backend);
    const target = new URL(req.url ?? '/', backend);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else forward(req, body, res, tried);
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, new Set()));
  });
  balancer.url = await listen(server, 0);
  // Wait for the first poll, so the first request finds its backends.
  const deadline = Date.now() + 10_000;
  while (ready.size === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  balancer.close = async () => {
    closed = true;
    await polling;
    await close(server, 500);
  };
  return balancer;
}
