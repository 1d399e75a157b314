import { VendorWrites } from '../../../simulators/vendor/VendorWrites';

const NOW = Date.UTC(2026, 0, 1);
const base = () => ({
  id: 'o-1',
  version: 3,
  orderNumber: '2U-000001',
  orderState: 'Open',
  lineItems: [{ id: 'li-a', quantity: 2 }],
  returnInfo: [],
  lastModifiedAt: '2025-01-01T00:00:00.000Z',
});
const returnAction = (quantity = 1) => ({
  action: 'addReturnInfo',
  items: [{ quantity, lineItemId: 'li-a', shipmentState: 'Returned' }],
  returnTrackingId: 'key-1',
});

describe('VendorWrites', () => {
  let writes: VendorWrites;
  beforeEach(() => {
    writes = new VendorWrites(() => NOW);
  });

  it('applies the actions to the version named, bumping it and lastModifiedAt', () => {
    const response = writes.update(
      base(),
      { version: 3, actions: [returnAction(), { action: 'changeOrderState', orderState: 'Complete' }] },
      'k',
    );
    expect(response.status).toBe(200);
    const order = writes.overlay(base());
    expect(order).toMatchObject({
      version: 4,
      orderState: 'Complete',
      lastModifiedAt: new Date(NOW).toISOString(),
    });
    expect(order.returnInfo).toEqual([
      {
        items: [
          expect.objectContaining({
            id: expect.any(String),
            quantity: 1,
            lineItemId: 'li-a',
            shipmentState: 'Returned',
            type: 'LineItemReturnItem',
          }),
        ],
        returnTrackingId: 'key-1',
      },
    ]);
    expect(writes.executions).toEqual({ updates: 1, returns: 1, stateChanges: 1 });
    expect(writes.log).toEqual([
      {
        orderNumber: '2U-000001',
        version: 3,
        actions: ['addReturnInfo', 'changeOrderState'],
        idempotencyKey: 'k',
      },
    ]);
  });

  it('refuses a stale version with ConcurrentModification and the current version, changing nothing', () => {
    const response = writes.update(base(), { version: 2, actions: [returnAction()] }, null);
    expect(response).toMatchObject({
      status: 409,
      body: { statusCode: 409, errors: [{ code: 'ConcurrentModification', currentVersion: 3 }] },
    });
    expect(writes.overlay(base())).toEqual(base());
    expect(writes.executions.updates).toBe(0);
  });

  it('bumps the version behind the caller once when asked, so exactly one update conflicts', () => {
    writes.concurrentModificationOnce('2U-000001');
    const first = writes.update(base(), { version: 3, actions: [returnAction()] }, null);
    expect(first).toMatchObject({ status: 409, body: { errors: [{ currentVersion: 4 }] } });
    const current = writes.overlay(base());
    expect(current.version).toBe(4);
    expect(writes.update(current, { version: 4, actions: [returnAction()] }, null).status).toBe(200);
    expect(writes.overlay(base())).toMatchObject({ version: 5 });
    expect((writes.overlay(base()).returnInfo as unknown[]).length).toBe(1);
  });

  it('applies all actions or none', () => {
    const response = writes.update(
      base(),
      { version: 3, actions: [returnAction(), { action: 'setCustomField' }] },
      null,
    );
    expect(response).toMatchObject({ status: 400, body: { errors: [{ code: 'InvalidInput' }] } });
    expect(writes.overlay(base())).toEqual(base());
  });

  it.each([
    ['no actions', { version: 3, actions: [] }],
    ['no version', { actions: [returnAction()] }],
    [
      'an unknown line item',
      {
        version: 3,
        actions: [
          { ...returnAction(), items: [{ quantity: 1, lineItemId: 'nope', shipmentState: 'Returned' }] },
        ],
      },
    ],
    ['a zero quantity', { version: 3, actions: [returnAction(0)] }],
    [
      'an unknown order state',
      { version: 3, actions: [{ action: 'changeOrderState', orderState: 'Shipped' }] },
    ],
  ])('answers 400 to %s', (_, body) => {
    expect(writes.update(base(), body, null).status).toBe(400);
    expect(writes.executions.updates).toBe(0);
  });
});
