import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { runWithNotices } from '../degradedNotices';
import { BodyTooLargeError, readBody } from './readBody';
import { requestErrorStatus } from './requestErrorStatus';
import { sendJson } from './sendJson';

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  /** Builds the request's context; `res` lets it watch how the response ends (the gateway's log). */
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
  /** @default 1 MiB — far above any real query; bigger bodies are a mistake or an attack. */
  maxBodyBytes?: number;
}

/**
 * Serves Apollo Server on a plain node:http server through its framework-neutral
 * `executeHTTPGraphQLRequest`, so no web framework sits between the socket and the gateway.
 */
export function createGraphQLHandler<TContext extends BaseContext>(options: GraphQLHandlerOptions<TContext>) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          return sendJson(res, 413, { errors: [{ message: error.message }] });
        throw error;
      }
      if ((headers.get('content-type') ?? '').includes('application/json')) {
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          return sendJson(res, 400, {
            errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
          });
        }
      } else {
        body = text;
      }
    }
    // Each request collects its own degraded notices (stale serves) for the reportDegraded plugin.
    const { result: pending } = runWithNotices(() =>
      options.server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req, res),
      }),
    );
    const result = await pending;
    for (const [name, value] of result.headers) res.setHeader(name, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      const contentType = result.headers.get('content-type') ?? '';
      res.statusCode = requestErrorStatus(req, res.statusCode, contentType, result.body.string);
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
