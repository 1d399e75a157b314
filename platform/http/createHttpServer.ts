import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { context, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { startServerSpan } from '../tracing/startServerSpan';
import { HEALTH_PATHS } from './healthRoutes';
import type { Handler, Routes } from './Routes';
import { sendJson } from './sendJson';

/**
 * A node:http server over a route table. Unknown paths get 404, known paths with another method 405,
 * and a handler that throws gets a bare 500 (the error is logged, never sent). With a tracer, each
 * routed request but the health probes runs in a SERVER span of its own (W3C trace context in and out).
 */
export function createHttpServer(routes: Routes, logger: Logger, tracer?: Tracer): Server {
  const paths = new Set(Object.keys(routes).map((key) => key.split(' ')[1]));
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes[`${req.method} ${path}`] ?? routes[`* ${path}`];
    if (!handler) {
      if (paths.has(path)) return sendJson(res, 405, { error: 'method not allowed' });
      return sendJson(res, 404, { error: 'not found' });
    }
    if (!tracer || HEALTH_PATHS.has(path)) return dispatch(handler, req, res, path, logger);
    context.with(
      startServerSpan(tracer, req, res, path),
      dispatch,
      undefined,
      handler,
      req,
      res,
      path,
      logger,
    );
  });
}

function dispatch(handler: Handler, req: IncomingMessage, res: ServerResponse, path: string, logger: Logger) {
  Promise.resolve()
    .then(() => handler(req, res))
    .catch((error: unknown) => {
      logger.error({ err: error, path }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
    });
}
