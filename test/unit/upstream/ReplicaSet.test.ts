import { ReplicaSet } from '../../../upstream/ReplicaSet';

const A = 'http://10.0.0.1:4001';
const B = 'http://10.0.0.2:4001';
const C = 'http://10.0.0.3:4001';

function setOf(clock: { now: number }, origins = [A, B, C]) {
  return new ReplicaSet({
    base: new URL(`${origins[0]}/graphql`),
    replicaOrigins: origins.slice(1),
    name: 'orders',
    timeoutMs: 1000,
    pool: {},
    now: () => clock.now,
  });
}

describe('ReplicaSet', () => {
  it('takes the instances in turn, each on the base path', async () => {
    const instances = setOf({ now: 0 });
    const picks = Array.from({ length: 6 }, () => instances.pick([]));
    expect(picks.map((t) => t.origin)).toEqual([A, B, C, A, B, C]);
    expect(new Set(picks.map((t) => t.basePath))).toEqual(new Set(['/graphql']));
    await instances.close();
  });

  it('sends a retry to an instance the call has not tried, and round again once all were', async () => {
    const instances = setOf({ now: 0 });
    expect(instances.pick([A]).origin).toBe(B);
    expect(instances.pick([B, C]).origin).toBe(A);
    expect(instances.pick([A, C]).origin).toBe(B);
    expect([A, B, C]).toContain(instances.pick([A, B, C]).origin);
    await instances.close();
  });

  it('goes round again in turn once a call has tried every instance', async () => {
    const instances = setOf({ now: 0 }, [A, B]);
    expect(instances.pick([A, B]).origin).toBe(A);
    expect(instances.pick([A, B]).origin).toBe(B);
    expect(instances.pick([A, B]).origin).toBe(A);
    expect(instances.pick([]).origin).toBe(B);
    await instances.close();
  });

  it('ejects an instance that refused, doubling per refusal in a row, and forgives it once it answers', async () => {
    const clock = { now: 1_000_000 };
    const instances = setOf(clock);
    instances.refused(B);
    expect(instances.status()).toEqual([
      { origin: A, ejectedUntil: null },
      { origin: B, ejectedUntil: new Date(clock.now + 1000).toISOString() },
      { origin: C, ejectedUntil: null },
    ]);
    expect(Array.from({ length: 4 }, () => instances.pick([]).origin)).toEqual([A, C, A, C]);

    clock.now += 1000;
    expect(Array.from({ length: 3 }, () => instances.pick([]).origin)).toContain(B);
    instances.refused(B);
    expect(instances.status()[1]!.ejectedUntil).toBe(new Date(clock.now + 2000).toISOString());
    clock.now += 1999;
    expect(Array.from({ length: 4 }, () => instances.pick([]).origin)).not.toContain(B);
    clock.now += 1;
    instances.answered(B);
    instances.refused(B);
    // Answered in between: the next refusal starts again from the first ejection time.
    expect(instances.status()[1]!.ejectedUntil).toBe(new Date(clock.now + 1000).toISOString());
    await instances.close();
  });

  it('caps the ejection time', async () => {
    const clock = { now: 0 };
    const instances = setOf(clock);
    for (let i = 0; i < 10; i++) instances.refused(C);
    expect(instances.status()[2]!.ejectedUntil).toBe(new Date(30_000).toISOString());
    await instances.close();
  });

  it('still calls when every untried instance is ejected: the one back soonest', async () => {
    const clock = { now: 0 };
    const instances = setOf(clock);
    instances.refused(A);
    instances.refused(A);
    instances.refused(B);
    instances.refused(C);
    instances.refused(C);
    instances.refused(C);
    expect(instances.pick([]).origin).toBe(B);
    expect(instances.pick([B]).origin).toBe(A);
    await instances.close();
  });

  it('never ejects a lone instance: there is nothing else to call', async () => {
    const instances = setOf({ now: 0 }, [A]);
    instances.refused(A);
    expect(instances.status()).toEqual([{ origin: A, ejectedUntil: null }]);
    expect(instances.pick([A]).origin).toBe(A);
    await instances.close();
  });
});
