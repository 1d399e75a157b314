import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER } from './requestIdFrom';
import type { Handler } from './Routes';

/**
 * The browser origins (scheme://host[:port]) whose pages may call with credentials: the MFEs
 * (CORS_ORIGIN_WHITELIST, as django-cors-headers names it in every Open edX service).
 */
export interface CorsPolicy {
  allowedOrigins: ReadonlySet<string>;
}

// What an MFE sends: its token header or cookie flag, JSON, the client's key and ids, Apollo's CSRF
// header, the staff override, trace context.
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'use-jwt-cookie',
  'idempotency-key',
  REQUEST_ID_HEADER,
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-switchyard-orders-backend',
  'traceparent',
  'tracestate',
].join(', ');

/** Whether a request's `Origin` is one the policy names (an absent Origin is not a browser's cross-origin call). */
export function originAllowed(origin: string | string[] | undefined, policy: CorsPolicy): boolean {
  return typeof origin === 'string' && policy.allowedOrigins.has(origin);
}

/**
 * The response headers of a cross-origin call: an allowed origin is echoed with
 * `Access-Control-Allow-Credentials: true`; any other origin gets neither, so its page cannot read
 * the answer (and, for a preflighted request, the browser never sends it).
 */
function setCorsHeaders(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): boolean {
  // The answer differs by Origin: caches must not hand one origin's answer to another.
  res.setHeader('vary', 'Origin');
  if (!originAllowed(req.headers.origin, policy)) return false;
  res.setHeader('access-control-allow-origin', req.headers.origin as string);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', REQUEST_ID_HEADER);
  return true;
}

/** Wraps a route's handler with the CORS response headers. */
export function withCors(handler: Handler, policy: CorsPolicy): Handler {
  return (req, res) => {
    setCorsHeaders(req, res, policy);
    return handler(req, res);
  };
}

/** `OPTIONS` (the preflight): 204, with the methods and headers allowed only for an allowed origin. */
export function preflight(policy: CorsPolicy): Handler {
  return (req, res) => {
    if (setCorsHeaders(req, res, policy)) {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204);
    res.end();
  };
}
