import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { createInterface } from 'node:readline';

export type LogLine = Record<string, unknown>;

export interface ChaosProcess {
  child: ChildProcess;
  /** Every JSON log line it wrote so far, in order: what an operator's log pipeline would hold. */
  logs: LogLine[];
  /** Resolves with the first log line (seen or to come) the predicate accepts; rejects on exit or timeout. */
  waitFor(match: string | ((line: LogLine) => boolean), timeoutMs?: number): Promise<LogLine>;
  stderr(): string;
  /** Sends the signal (if still running) and resolves once the process has exited and its output is read. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

// dist/scripts/chaos → dist/<entry> when compiled; scripts/chaos → dist/<entry> under ts-jest (npm test builds first).
const DIST = __dirname.includes(`${sep}dist${sep}`)
  ? join(__dirname, '..', '..')
  : join(__dirname, '..', '..', 'dist');

/**
 * A production entry point from dist/ (`subgraphs/orders/main.js`, …) as a real child process, for the
 * experiments that must SIGKILL one mid-flight or read its own log output. Its environment is only
 * what the experiment gives: nothing of the operator's shell leaks into a verdict.
 */
export function spawnChaosProcess(entry: string, env: Record<string, string>): ChaosProcess {
  const file = join(DIST, entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  const child = spawn(process.execPath, [file], {
    env: {
      LOG_LEVEL: 'info',
      ADMIN_PORT: '0',
      RATE_LIMIT_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of [...waiters])
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': every line it wrote has been read by then.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Whatever ends the experiment's process, no orphan is left holding a port or a Redis lock.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  return {
    child,
    logs,
    stderr: () => stderr,
    waitFor: (wanted, timeoutMs = 20_000) => {
      const match = typeof wanted === 'string' ? (l: LogLine) => l.msg === wanted : wanted;
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const fail = (why: string) => reject(new Error(`${entry}: ${why}. stderr: ${stderr.slice(-500)}`));
        const timer = setTimeout(() => fail(`no matching log line within ${timeoutMs} ms`), timeoutMs);
        waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() => (clearTimeout(timer), fail('exited')));
      });
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
