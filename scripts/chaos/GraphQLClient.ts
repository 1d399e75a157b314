import { Pool } from 'undici';

export interface GraphQLReply {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface GraphQLClient {
  send(query: string): Promise<GraphQLReply>;
  /**
   * `ok` when the reply has no errors, else the first error's code with the upstream it names
   * (`UPSTREAM_TIMEOUT@legacy-ecommerce`): which hop gave up matters as much as how.
   */
  outcome(query: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A keep-alive client for one GraphQL endpoint. undici's pool rather than `fetch`: the load generator
 * shares the event loop with the stack under test, so its own per-request cost must stay small.
 */
export function createGraphQLClient(url: string, authorization: string, connections = 64): GraphQLClient {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections });
  const send = async (query: string): Promise<GraphQLReply> => {
    const response = await pool.request({
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query }),
    });
    const body = (await response.body.json()) as Omit<GraphQLReply, 'status'>;
    return { status: response.statusCode, ...body };
  };
  return {
    send,
    outcome: async (query) => outcomeOf(await send(query)),
    close: () => pool.close(),
  };
}

export function outcomeOf(reply: GraphQLReply): string {
  const first = reply.errors?.[0];
  if (!first) return reply.status === 200 ? 'ok' : `HTTP_${reply.status}`;
  const { code, upstream } = first.extensions ?? {};
  if (typeof code !== 'string') return `HTTP_${reply.status}`;
  return typeof upstream === 'string' ? `${code}@${upstream}` : code;
}
