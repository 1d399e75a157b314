import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * What every process of the plain stack does: the stock standalone server on `port`, and a clean exit
 * on SIGTERM (so `--cpu-prof` writes its profile). No guards: this is the benchmark's reference, the
 * stack a team writes first, and it never ships.
 */
export async function servePlain<T extends BaseContext>(
  name: string,
  port: string | undefined,
  options: ApolloServerOptions<T>,
  context: (req: { headers: Record<string, string | string[] | undefined> }) => Promise<T>,
): Promise<void> {
  const server = new ApolloServer<T>(options);
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(port ?? 0), host: '127.0.0.1' },
    context: ({ req }) => context(req),
  });
  process.stderr.write(`plain ${name} listening at ${url}\n`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The header's single value (Node joins repeated ones into an array only for a few headers). */
export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
