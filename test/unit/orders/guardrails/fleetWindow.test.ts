import { FleetWindow } from '../../../../subgraphs/orders/layers/guardrails/FleetWindow';

const RULE = { threshold: 0.05, windowMs: 60_000, minSamples: 20 };

function windowAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, window: new FleetWindow(RULE, () => clock.now) };
}

describe('FleetWindow', () => {
  it('judges local counts until a poll has answered, then the fleet sums plus unshared counts', () => {
    const { window } = windowAt();
    for (let i = 0; i < 4; i++) window.record(i === 0);
    expect(window.read()).toMatchObject({ samples: 4, bad: 1 });
    expect(window.scope).toBe('local');
    const sent = window.takePending();
    window.record(true); // counted while the round trip is on its way: stays pending
    const id = window.currentId();
    window.settle(sent, [{ id, n: 30, bad: 3 }]); // the fleet's sums, this instance's 4 included
    expect(window.scope).toBe('fleet');
    expect(window.read()).toMatchObject({ samples: 31, bad: 4, crossed: true });
    expect(window.status()).toMatchObject({ samples: 31, scope: 'fleet', local: { samples: 5, bad: 2 } });
    expect(window.takePending().buckets).toEqual([{ id, n: 1, bad: 1 }]);
    window.unreachable();
    expect(window.read()).toMatchObject({ samples: 5, bad: 2 });
  });

  it('ignores an answer that lands after a reset (a resume while a poll was on its way)', () => {
    const { window } = windowAt();
    for (let i = 0; i < 3; i++) window.record(true);
    const sent = window.takePending();
    window.reset();
    window.record(false);
    window.settle(sent, [{ id: window.currentId(), n: 50, bad: 50 }]);
    expect(window.read()).toMatchObject({ samples: 1, bad: 0 });
    expect(window.takePending().buckets).toEqual([{ id: window.currentId(), n: 1, bad: 0 }]);
  });

  it('keeps unshared counts only while their bucket is in the window', () => {
    const { window, clock } = windowAt();
    window.record(true);
    clock.now += 55_000;
    window.record(false);
    expect(window.takePending().buckets).toHaveLength(2);
    clock.now += 5_000;
    expect(window.takePending().buckets).toEqual([{ id: window.currentId() - 1, n: 1, bad: 0 }]);
  });
});
