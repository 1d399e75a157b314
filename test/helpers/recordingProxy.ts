import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { close, listen } from '../../platform/http/listen';

export interface RecordedExchange {
  method: string;
  origin: string | undefined;
  /** Which cookie names the request carried (their values stay out of the record). */
  cookies: string[];
  useJwtCookie: string | undefined;
  status: number;
}

export interface RecordingProxy {
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of `target` that records what each request carried and how it
 * was answered: how a browser test sees the preflights and the cookies the browser itself sent.
 */
export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host } as IncomingHttpHeaders,
      },
      (answer) => {
        // Chromium asks for the icon of a page it navigated to on the gateway (a form post), late:
        // one landed in the next test's record. Not an exchange any test is about.
        const favicon = req.method === 'GET' && req.url === '/favicon.ico';
        if (!favicon)
          exchanges.push({
            method: req.method ?? '',
            origin: req.headers.origin,
            cookies: (req.headers.cookie ?? '')
              .split(';')
              .map((c) => c.split('=')[0]!.trim())
              .filter(Boolean),
            useJwtCookie: req.headers['use-jwt-cookie'] as string | undefined,
            status: answer.statusCode ?? 0,
          });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const url = await listen(server, 0);
  return { url, exchanges, close: () => close(server, 1000) };
}
