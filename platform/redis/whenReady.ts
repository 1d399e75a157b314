import type Redis from 'ioredis';

/**
 * Waits for a Redis client to be connected, at most `timeoutMs`. Clients here run without an offline
 * queue (a command while Redis is down fails at once instead of hanging); this covers the moments
 * after start-up or a reconnect, so a request then neither hangs nor fails needlessly.
 */
export async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready within ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
