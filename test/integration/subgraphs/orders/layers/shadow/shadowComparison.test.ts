import type { SeedOrder } from '../../../../../../simulators/seed/SeedOrder';
import {
  learner,
  startShadowedBackend,
  type ShadowedBackend,
} from '../../../../../helpers/startShadowedBackend';
import { startTwinSimulators, type TwinSimulators } from '../../../../../helpers/startTwinSimulators';

const LEARNER = 'learner1';
const SHADOW = { ORDERS_SHADOW_BACKEND: 'vendor', ORDERS_SHADOW_SAMPLE_RATE: '1' };
const everything = { username: LEARNER, page: 1, pageSize: 100 };

let twins: TwinSimulators;
let shadowed: ShadowedBackend;
afterEach(async () => {
  await twins.close();
  await shadowed.close();
});

describe('shadow comparison, legacy served and vendor shadowed, on real simulators', () => {
  it('reports nothing when both systems hold the same orders, on any page', async () => {
    twins = await startTwinSimulators([LEARNER, 'learner4']);
    shadowed = startShadowedBackend({ ...twins.env, ...SHADOW });
    const pages = [everything, ...[1, 2, 3].map((page) => ({ username: LEARNER, page, pageSize: 20 }))];
    for (const query of pages) await shadowed.backend.listOrders(query, learner(LEARNER));
    await shadowed.until(async () => (await shadowed.counts('reads', 'outcome')).match === pages.length);

    expect(await shadowed.counts('reads', 'outcome')).toEqual({ match: pages.length });
    expect((await shadowed.counts('fields', 'result')).mismatch).toBeUndefined();
    expect(await shadowed.counts('orders', 'result')).toEqual({ matched: 45 * 2 });
    expect(shadowed.logs.filter((l) => l.event === 'orders_shadow_mismatch')).toEqual([]);
  });

  it('reports every difference injected into the vendor copy, one log line per order', async () => {
    const pick = (orders: SeedOrder[], i: number) => orders.filter((o) => o.username === LEARNER)[i]!;
    const injected: { kind: string; orderNumber: string; fields?: string[] }[] = [];
    twins = await startTwinSimulators([LEARNER], (orders) => {
      const edit = (i: number, fields: string[], change: (o: SeedOrder) => void) => {
        const order = pick(orders, i);
        change(order);
        injected.push({ kind: 'fields', orderNumber: order.number, fields });
      };
      edit(2, ['status'], (o) => (o.status = o.status === 'Complete' ? 'Pending' : 'Complete'));
      edit(5, ['paymentMethod'], (o) => {
        o.paymentProcessor ??= 'stripe'; // a free order has no payment at all in the vendor system
        o.paymentMethod = 'Visa 0000';
      });
      edit(8, ['total', 'lines.unitPrice', 'lines.linePrice'], (o) => (o.lines[0]!.unitPriceMinor += 100));
      edit(17, ['placedAt'], (o) => (o.placedAt = new Date(Date.parse(o.placedAt) + 1000).toISOString()));
      edit(20, ['lines.title'], (o) => (o.lines[0]!.title += ' (2nd edition)'));
      const dropped = pick(orders, 11);
      injected.push({ kind: 'missing_in_shadow', orderNumber: dropped.number });
      const extra = { ...structuredClone(pick(orders, 14)), number: 'EDX-999999' };
      injected.push({ kind: 'missing_in_primary', orderNumber: extra.number });
      return [...orders.filter((o) => o !== dropped), extra];
    });
    shadowed = startShadowedBackend({ ...twins.env, ...SHADOW });

    const served = await shadowed.backend.listOrders(everything, learner(LEARNER));
    await shadowed.until(async () => (await shadowed.counts('reads', 'outcome')).mismatch === 1);

    // What the learner got is the legacy answer, untouched by the shadow.
    expect(served.orders.map((o) => o.number)).toEqual(twins.orders.map((o) => o.number));
    const lines = shadowed.logs
      .filter((l) => l.event === 'orders_shadow_mismatch')
      .map(({ kind, orderNumber, fields }) => ({ kind, orderNumber, ...(fields ? { fields } : {}) }));
    const byNumber = (a: { orderNumber: unknown }, b: { orderNumber: unknown }) =>
      String(a.orderNumber).localeCompare(String(b.orderNumber));
    expect(lines.sort(byNumber)).toEqual(injected.sort(byNumber));
    expect(await shadowed.counts('orders', 'result')).toEqual({
      matched: 45 - 6,
      mismatched: 5,
      missing_in_shadow: 1,
      missing_in_primary: 1,
    });
    expect(JSON.stringify(shadowed.logs)).not.toContain(LEARNER);
  });
});
