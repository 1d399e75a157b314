import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(__dirname, '..');
const TAIL_LINES = 40;

/** A started component process of a bench stack. */
export interface Running {
  pid: number;
  /** Until the probe answers 2xx, or any status at all with `anyAnswer`. */
  waitFor(probeUrl: string, anyAnswer?: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Every child ever started, so runBench's exit handler can kill what a crash left behind. */
export const liveChildren = new Set<ChildProcess>();

export function startProcess(
  name: string,
  file: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Running {
  const child = spawn(process.execPath, [...nodeArgs, file], {
    env,
    cwd: join(DIST, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  // Keep only a tail: at LOG_LEVEL=warn a failing run can still log a line per request.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      if (!stopping) {
        process.stderr.write(`\n${name} exited unexpectedly (${signal ?? code}); last output:\n`);
        process.stderr.write(`${tail.join('\n')}\n`);
        unexpectedExit?.(new Error(`${name} exited unexpectedly`));
      }
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    waitFor: async (probeUrl, anyAnswer = false) => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} did not start`);
        const ok = await fetch(probeUrl, { headers: { 'apollo-require-preflight': 'true' } }).then(
          (r) => r.ok || anyAnswer,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${name} not healthy at ${probeUrl} after 20 s:\n${tail.join('\n')}`);
    },
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // runMain drains for up to 5 s; do not wait on a wedged process longer than that.
      const timer = setTimeout(() => child.kill('SIGKILL'), 6000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let unexpectedExit: ((error: Error) => void) | undefined;

/** Where a component dying mid-run is reported (runBench aborts the run). */
export function onUnexpectedExit(handler: (error: Error) => void): void {
  unexpectedExit = handler;
}
