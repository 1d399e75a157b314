import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

// `--require` preload for bench/profileColocated.ts: `--cpu-prof` is refused in NODE_OPTIONS, and a
// cluster's workers inherit the primary's `--cpu-prof-name`, each overwriting the same file. This
// profiles whichever process loads it (primary and every worker) and writes
// `<PROFILE_PRELOAD_DIR>/<pid>.cpuprofile` on exit, with the wall-clock start (`wallStartMs`) that
// places the measured windows inside it. An in-thread inspector session answers synchronously, so
// the profile can be taken in the 'exit' handler.
const dir = process.env.PROFILE_PRELOAD_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  const wallStartMs = Date.now();
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(
        join(dir, `${process.pid}.cpuprofile`),
        JSON.stringify({ ...result.profile, wallStartMs }),
      );
    });
  });
}
