import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A private redis-server on `port`, keeping nothing on disk, so stopping it (SIGKILL) cannot disturb
 * other tests using the shared one. Resolves once it accepts connections.
 */
export function startRedisServer(port: number): Promise<ChildProcess> {
  return spawnRedisServer(
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    /Ready to accept connections/,
  );
}

/** redis-server with these arguments (a Cluster node, a Sentinel…); resolves once its output matches `ready`. */
export async function spawnRedisServer(args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server ${args.join(' ')} did not start: ${out}`)),
      10_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', reject);
  });
  return child;
}
