import { GUARD_BUCKETS, RateWindow } from '../../../../subgraphs/orders/layers/guardrails/RateWindow';

const RULE = { threshold: 0.05, windowMs: 60_000, minSamples: 20 };

function windowAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, window: new RateWindow(RULE, () => clock.now) };
}
const record = (w: RateWindow, good: number, bad: number) => {
  for (let i = 0; i < good; i++) w.record(false);
  for (let i = 0; i < bad; i++) w.record(true);
};

describe('RateWindow', () => {
  it('is crossed when the rate reaches the threshold with enough samples', () => {
    const { window } = windowAt();
    record(window, 19, 1);
    expect(window.read()).toMatchObject({ samples: 20, bad: 1, rate: 0.05, crossed: true });
  });

  it('is not crossed just below the threshold', () => {
    const { window } = windowAt();
    record(window, 20, 1);
    expect(window.read()).toMatchObject({ samples: 21, bad: 1, crossed: false });
    expect(window.read().rate).toBeCloseTo(1 / 21);
  });

  it('does not judge below the minimum sample count: 1 error in 2 reads is no trend', () => {
    const { window } = windowAt();
    record(window, 1, 1);
    expect(window.read()).toMatchObject({ samples: 2, bad: 1, rate: 0.5, crossed: false });
    record(window, 0, 17);
    expect(window.read()).toMatchObject({ samples: 19, crossed: false });
    record(window, 0, 1);
    expect(window.read()).toMatchObject({ samples: 20, crossed: true });
  });

  it('forgets samples older than the window, one bucket at a time', () => {
    const { clock, window } = windowAt(0);
    record(window, 0, 20); // bucket 0
    clock.now = 30_000;
    record(window, 20, 0);
    expect(window.read()).toMatchObject({ samples: 40, bad: 20 });
    clock.now = 59_999; // still inside
    expect(window.read().samples).toBe(40);
    clock.now = 60_000; // bucket 0 has left the window
    expect(window.read()).toMatchObject({ samples: 20, bad: 0, crossed: false });
    clock.now = 90_000;
    expect(window.read()).toMatchObject({ samples: 0, rate: 0 });
  });

  it('reuses a slot a full window later instead of adding to it (fixed memory)', () => {
    const { clock, window } = windowAt(0);
    record(window, 0, 5);
    clock.now = 60_000 * 3; // same slot, three windows on
    record(window, 1, 0);
    expect(window.read()).toMatchObject({ samples: 1, bad: 0 });
    expect(GUARD_BUCKETS).toBe(12);
  });

  it('starts fresh after reset: old errors do not count', () => {
    const { window } = windowAt();
    record(window, 0, 30);
    expect(window.read().crossed).toBe(true);
    window.reset();
    expect(window.read()).toMatchObject({ samples: 0, bad: 0, crossed: false });
    record(window, 19, 0);
    record(window, 0, 1);
    expect(window.read()).toMatchObject({ samples: 20, bad: 1, crossed: true });
  });
});
