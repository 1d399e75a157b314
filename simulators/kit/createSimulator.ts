import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listen } from '../../platform/http/listen';
import { createRandom } from '../seed/createRandom';
import { NO_FAULTS, parseFaults, type Faults } from './Faults';

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** Parsed JSON for `application/json` bodies, the raw text for any other body, else undefined. */
  body: unknown;
  params: string[];
}

export interface SimResponse {
  status: number;
  body?: unknown;
  /** An array sends the header once per value (`Set-Cookie`). */
  headers?: Record<string, string | string[]>;
  /** A page rather than JSON (the LMS's sign-in form): sent as `text/html`, `body` ignored. */
  html?: string;
}

export interface SimRoute {
  method: string;
  /** Matched against the path; capture groups become `params` (URI-decoded). */
  pattern: RegExp;
  /** Counter name, e.g. `orders.list`. */
  name: string;
  handle: (request: SimRequest) => SimResponse | Promise<SimResponse>;
}

export interface SimulatorStats {
  total: number;
  byRoute: Record<string, number>;
  /**
   * Route → items served in `results` arrays (the DRF and commercetools envelopes alike), summed and
   * the largest in one answer: how much a caller read, not only how often (the merged read bound).
   */
  rowsByRoute: Record<string, number>;
  maxRowsByRoute: Record<string, number>;
}

/** The body of an error the simulator itself produces (fault knob, unknown route, bad JSON), in the API's shape. */
export type ErrorBody = (status: number, message: string) => unknown;

/** Django REST framework's error body, as the legacy and discovery APIs send it. */
const drfError: ErrorBody = (_status, message) => ({ detail: message });

/** The `byRoute` counter of APPEND_SLASH redirects (no route ran). */
export const APPEND_SLASH_ROUTE = 'redirect.append_slash';

const emptyStats = (): SimulatorStats => ({ total: 0, byRoute: {}, rowsByRoute: {}, maxRowsByRoute: {} });

export interface Simulator {
  readonly name: string;
  readonly url: string;
  stats(): SimulatorStats;
  resetStats(): void;
  setFaults(faults: Partial<Faults>): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  /**
   * Django's APPEND_SLASH (CommonMiddleware, on by default): a path without its trailing slash that
   * only matches with one is answered 301 to the slashed path, query kept, before any view runs — so
   * before authentication and throttling. @default false
   */
  appendSlash?: boolean;
}

/**
 * A stand-in upstream: real HTTP, a route table, request counters and fault knobs. The knobs and
 * counters are reachable in-process (tests) and over HTTP at `/__sim/faults` and `/__sim/stats`
 * (the benchmark and people poking at `npm start`); admin calls are not counted.
 */
export async function createSimulator(
  name: string,
  routes: SimRoute[],
  port = 0,
  errorBody: ErrorBody = drfError,
  options: SimulatorOptions = {},
): Promise<Simulator> {
  let faults: Faults = { ...NO_FAULTS };
  let stats = emptyStats();
  const random = createRandom(7);
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: errorBody(500, 'simulator error') });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim');
    const text = await readAll(req);
    if (url.pathname.startsWith('/__sim/')) return admin(req.method ?? 'GET', url.pathname, text, res);
    stats.total++;
    for (const route of routes) {
      const match = req.method === route.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      stats.byRoute[route.name] = (stats.byRoute[route.name] ?? 0) + 1;
      if (faults.hang) return; // never answer; the socket is destroyed on close()
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      if (faults.resetRate > 0 && random.chance(faults.resetRate)) return req.socket.resetAndDestroy();
      if (faults.errorRate > 0 && random.chance(faults.errorRate)) {
        return send(res, {
          status: faults.errorStatus,
          body: errorBody(faults.errorStatus, 'Injected failure (simulator fault knob)'),
        });
      }
      if (faults.malformedRate > 0 && random.chance(faults.malformedRate)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"count": 1, "results": [{"number": ');
      }
      // Only JSON bodies are parsed; anything else (an OAuth form body) reaches the route as raw text.
      let body: unknown = text || undefined;
      if (text && isJson(req.headers['content-type'])) {
        try {
          body = JSON.parse(text);
        } catch {
          return send(res, { status: 400, body: errorBody(400, 'JSON parse error') });
        }
      }
      const params = match.slice(1).map((p) => decodeURIComponent(p ?? ''));
      const answer = await route.handle({
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        params,
      });
      countRows(route.name, answer.body);
      return send(res, answer);
    }
    if (options.appendSlash && shouldAppendSlash(url.pathname)) {
      stats.byRoute[APPEND_SLASH_ROUTE] = (stats.byRoute[APPEND_SLASH_ROUTE] ?? 0) + 1;
      // HttpResponsePermanentRedirect to request.get_full_path(force_append_slash=True): a relative
      // Location with the query string, and an empty body.
      return send(res, { status: 301, headers: { location: `${url.pathname}/${url.search}` } });
    }
    return send(res, { status: 404, body: errorBody(404, 'Not found.') });
  }

  // Django resolves URLs whatever the method, so any route matching the slashed path qualifies.
  function shouldAppendSlash(path: string): boolean {
    return !path.endsWith('/') && routes.some((route) => route.pattern.test(`${path}/`));
  }

  function countRows(route: string, body: unknown) {
    const results = (body as { results?: unknown } | undefined)?.results;
    if (!Array.isArray(results)) return;
    stats.rowsByRoute[route] = (stats.rowsByRoute[route] ?? 0) + results.length;
    stats.maxRowsByRoute[route] = Math.max(stats.maxRowsByRoute[route] ?? 0, results.length);
  }

  function admin(method: string, path: string, text: string, res: ServerResponse) {
    if (path === '/__sim/stats' && method === 'GET') return send(res, { status: 200, body: stats });
    if (path === '/__sim/stats' && method === 'DELETE') {
      stats = emptyStats();
      return send(res, { status: 204 });
    }
    if (path === '/__sim/faults' && method === 'GET') return send(res, { status: 200, body: faults });
    if (path === '/__sim/faults' && method === 'DELETE') {
      faults = { ...NO_FAULTS };
      return send(res, { status: 200, body: faults });
    }
    if (path === '/__sim/faults' && method === 'POST') {
      try {
        faults = parseFaults(JSON.parse(text || '{}'), faults);
        return send(res, { status: 200, body: faults });
      } catch (error) {
        return send(res, { status: 400, body: { detail: (error as Error).message } });
      }
    }
    return send(res, { status: 404, body: { detail: 'Not found.' } });
  }

  const url = await listen(server, port);
  return {
    name,
    url,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (partial) => {
      faults = parseFaults(partial, faults);
    },
    clearFaults: () => {
      faults = { ...NO_FAULTS };
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function send(res: ServerResponse, response: SimResponse) {
  if (res.destroyed) return;
  const payload = response.html ?? (response.body === undefined ? '' : JSON.stringify(response.body));
  res.writeHead(response.status, {
    ...(response.html !== undefined
      ? { 'content-type': 'text/html; charset=utf-8' }
      : payload
        ? { 'content-type': 'application/json' }
        : {}),
    ...response.headers,
  });
  res.end(payload);
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
