import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens and resolves with the base URL; port 0 picks a free port (tests). */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${shown}:${address.port}`;
}

/**
 * Stops accepting, ends idle keep-alive sockets, lets in-flight requests finish for `graceMs`, then
 * cuts whatever is left (a request hung on a dead upstream must not hold a shutdown forever).
 */
export async function close(server: Server, graceMs = 5000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
