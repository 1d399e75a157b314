import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { listen } from '../../platform/http/listen';

export interface RecordingProxy {
  url: string;
  /** What the upstream behind the proxy received, in order. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1:0 in front of a real upstream (a simulator), recording each
 * request's headers: how a test sees what actually went over the wire without changing the upstream.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const origin = new URL(target);
  const requests: RecordingProxy['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const forward = request(
      // No keep-alive agent: nothing of the proxy's may outlive close().
      {
        host: origin.hostname,
        port: origin.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const url = await listen(server, 0);
  return {
    url,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
