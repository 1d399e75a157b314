import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * `'GET /healthz'` → handler. Exact paths only: the surface is small and explicit. Its own module, so
 * route tables (health, status, explorer) and the server that serves them import it, not each other.
 */
export type Routes = Record<string, Handler>;
