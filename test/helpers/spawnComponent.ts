import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Component {
  process: ChildProcess;
  /** JSON log lines seen so far. */
  logs: Record<string, unknown>[];
  /** Every stdout line seen so far, JSON or not (e.g. `npm start`'s banner). */
  lines: string[];
  /** Resolves with the first log line whose `msg` matches, or that the predicate accepts. */
  waitFor(
    msg: string | RegExp | ((line: Record<string, unknown>) => boolean),
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** What the process wrote to stderr so far (a start-up refusal's message, a stack). */
  stderr(): string;
  /** Resolves once the process has exited and its output is read: the exit code (null if a signal ended it). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * SUBGRAPH_SHARED_SECRET of every component a test file spawns (unless its env says otherwise): random
 * and production-sized, so the gateway and the subgraphs it starts agree without the development default.
 */
export const SPAWNED_SUBGRAPH_SECRET = randomBytes(32).toString('hex');

/**
 * ORDERS_GUARD_REDIS_KEY of every orders process a test file spawns (unless its env says otherwise):
 * shared by that file's instances, as in a deployment, and by no other file's on the shared Redis.
 */
export const SPAWNED_GUARD_KEY = `test:rollout-halt:${randomBytes(8).toString('hex')}`;

/**
 * Starts a compiled component (`npm test` builds `dist/` first) as a real child process — for the
 * tests that must kill one mid-flight, or run two sharing a Redis.
 */
export function spawnComponent(entry: string, env: Record<string, string>): Component {
  const file = join(ROOT, 'dist', entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm test does)`);
  const child = spawn(process.execPath, [file], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      SUBGRAPH_SHARED_SECRET: SPAWNED_SUBGRAPH_SECRET,
      ORDERS_GUARD_REDIS_KEY: SPAWNED_GUARD_KEY,
      // Not the fixed default: several processes of one component may run at once.
      ADMIN_PORT: '0',
      // Tests share one Redis, where learner1's count would be shared too; the limiter's tests turn it on.
      RATE_LIMIT_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    match: (line: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(text);
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': every line the process (or a child sharing its stdout) wrote has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    process: child,
    logs,
    lines,
    exited,
    stderr: () => stderr,
    waitFor: (msg, timeoutMs = 15_000) => {
      const match = (line: Record<string, unknown>) =>
        typeof msg === 'function'
          ? msg(line)
          : typeof msg === 'string'
            ? line.msg === msg
            : msg.test(String(line.msg));
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `${entry}: no "${String(msg)}" within ${timeoutMs} ms. stderr: ${stderr.slice(-500)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(() => reject(new Error(`${entry} exited. stderr: ${stderr.slice(-500)}`)));
      });
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
