import { mergedStatusExtras, statusBody } from '../../../../platform/http/statusRoutes';

const closed = { name: 'legacy-ecommerce', status: () => ({ breaker: 'closed' }) };

it('has nothing to add when no component has its own sections', () => {
  expect(mergedStatusExtras([])).toBeUndefined();
});

it('shows every component section side by side, degraded when any one of them is', async () => {
  const merged = mergedStatusExtras([
    () => ({ rollout: { halted: true }, degraded: true }),
    async () => ({ queue: { waiting: 0 } }),
  ]);
  const body = await statusBody('gateway', [closed], merged);
  expect(body).toEqual({
    component: 'gateway',
    degraded: true,
    upstreams: [{ breaker: 'closed' }],
    rollout: { halted: true },
    queue: { waiting: 0 },
  });
});

it('stays healthy when no section is degraded and every breaker is closed', async () => {
  const merged = mergedStatusExtras([() => ({ rollout: { halted: false } })]);
  expect(await statusBody('gateway', [closed], merged)).toMatchObject({
    degraded: false,
    rollout: { halted: false },
  });
});
