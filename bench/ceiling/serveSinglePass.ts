import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execute, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { close, listen } from '../../platform/http/listen';
import type { SinglePassContext } from './singlePassSchema';

/**
 * MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25): the least an HTTP endpoint must do around a
 * single-pass schema: read the body, build the request's context (`context` throws a GraphQLError to
 * refuse it: 401), a parsed and validated document cached by its text, graphql-js `execute`, JSON out.
 * No Apollo Server, no plugins, no limits.
 */
export async function serveSinglePass(
  schema: GraphQLSchema,
  context: (req: IncomingMessage) => Promise<SinglePassContext>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      operationName?: string;
      variables?: Record<string, unknown>;
    };
    let contextValue: SinglePassContext;
    try {
      contextValue = await context(req);
    } catch (error) {
      return send(res, 401, { errors: [error] });
    }
    const document = cachedDocument(documents, schema, body.query);
    if (!('kind' in document)) return send(res, 400, { errors: document });
    const result = await execute({
      schema,
      document,
      operationName: body.operationName,
      variableValues: body.variables,
      contextValue,
    });
    send(res, 200, result);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }));
  });
  const url = await listen(server, 0);
  return { url: `${url}/graphql`, stop: () => close(server, 1000) };
}

function cachedDocument(
  cache: Map<string, DocumentNode | readonly GraphQLError[]>,
  schema: GraphQLSchema,
  query: string,
): DocumentNode | readonly GraphQLError[] {
  let entry = cache.get(query);
  if (entry === undefined) {
    const document = parse(query);
    const errors = validate(schema, document);
    entry = errors.length > 0 ? errors : document;
    cache.set(query, entry);
  }
  return entry;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
