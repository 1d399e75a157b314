import type { IncomingMessage } from 'node:http';

/**
 * Errors of a well-formed GraphQL-over-HTTP request that the document or its variables caused: it did
 * not parse, did not validate (the query limits included), named no operation it holds, or its
 * variables did not coerce. Apollo answers them 400 whatever the client accepts.
 */
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_USER_INPUT',
]);

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * The status a request error should have. GraphQL over HTTP: a client that accepts
 * `application/graphql-response+json` learns of a request error from the 4xx status, while one that
 * accepts only `application/json` (or sends no Accept, which means the same) should get 200 with the
 * errors in the body, since an intermediary cannot tell a 4xx of the GraphQL server from its own. A
 * client that accepts anything (`*\/*`) accepts the former, so keeps the 4xx. Only a 400 whose body
 * holds no `data` and nothing but request errors changes; a malformed request (no query, bad JSON,
 * a batch, a missing CSRF header) stays 400.
 */
export function requestErrorStatus(
  req: IncomingMessage,
  status: number,
  contentType: string,
  body: string,
): number {
  if (status !== 400 || !contentType.startsWith('application/json')) return status;
  if (acceptsGraphQLResponseJson(req)) return status;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return status;
  }
  if (typeof parsed !== 'object' || parsed === null || 'data' in parsed) return status;
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return status;
  const all = errors.every((e) =>
    REQUEST_ERROR_CODES.has(String((e as { extensions?: { code?: unknown } })?.extensions?.code)),
  );
  return all ? 200 : status;
}

/** Whether some media range of the Accept header (RFC 9110 §12.5.1) covers it with a q above 0. */
function acceptsGraphQLResponseJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) return false;
    return type === GRAPHQL_RESPONSE_JSON || type === 'application/*' || type === '*/*';
  });
}
