import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadReply, LoadRequest } from './ceilingLoad';

/** MEASUREMENT ONLY (bench/executionCeiling.ts): the forked load driver, one request at a time. */
export interface LoadDriver {
  pid: number;
  ask<K extends LoadReply['kind']>(request: LoadRequest, kind: K): Promise<Extract<LoadReply, { kind: K }>>;
  stop(): void;
}

export function startLoadDriver(): LoadDriver {
  // Node's defaults, like the bench's load generator: the driver stands in for the clients.
  const child = fork(join(__dirname, 'ceilingLoad.js'), [], {
    env: { ...process.env, NODE_OPTIONS: '' },
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let queue: Promise<unknown> = Promise.resolve();
  const once = (request: LoadRequest) =>
    new Promise<LoadReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load driver exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: LoadReply) => {
        child.off('exit', onExit);
        resolve(reply);
      });
      child.send(request);
    });
  return {
    pid: child.pid!,
    ask: (request, kind) => {
      const answer = queue.then(() => once(request));
      queue = answer.catch(() => undefined);
      return answer.then((reply) => {
        if (reply.kind !== kind) throw new Error(`load driver answered ${reply.kind}, expected ${kind}`);
        return reply as never;
      });
    },
    stop: () => void child.kill('SIGTERM'),
  };
}
