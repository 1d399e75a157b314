import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop } from '../../../scripts/chaos/runLoad';

// A call that answers after `ms`, like a slow stack would (real timers: the loop reads performance.now()).
const slowCall = (ms: number) => async () => {
  await sleep(ms);
  return 'ok';
};

describe('runClosedLoop', () => {
  it('stops starting requests once durationMs has passed', async () => {
    const samples = await runClosedLoop({ clients: 2, durationMs: 30, call: slowCall(10) });
    // Each client starts a request only while under 30 ms: at most 4 each (0, 10, 20, 30-ish).
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.length).toBeLessThanOrEqual(8);
    expect(samples.every((s) => s.outcome === 'ok')).toBe(true);
  });

  it('goes on past durationMs until minSamples requests answered', async () => {
    const samples = await runClosedLoop({ clients: 2, durationMs: 20, minSamples: 12, call: slowCall(10) });
    expect(samples.length).toBeGreaterThanOrEqual(12);
    // Two clients stop within one request of reaching it.
    expect(samples.length).toBeLessThanOrEqual(13);
  });

  it('never stretches a phase beyond five times durationMs for minSamples', async () => {
    const samples = await runClosedLoop({ clients: 1, durationMs: 20, minSamples: 1000, call: slowCall(10) });
    // 100 ms at 10 ms a request: about 10, never the 1000 asked for.
    expect(samples.length).toBeLessThan(20);
    expect(samples.at(-1)!.at).toBeLessThan(100);
  });

  it('stops early when until() turns true', async () => {
    let calls = 0;
    const samples = await runClosedLoop({
      clients: 1,
      durationMs: 10_000,
      until: () => calls >= 3,
      call: async () => {
        calls++;
        return 'ok';
      },
    });
    expect(samples).toHaveLength(3);
  });
});
