import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createSeed } from '../../simulators/seed/createSeed';
import { ambiguousOrders, refundableOrders } from '../helpers/refundableOrders';

// The write rules of the legacy simulator, each as the real service keeps it. Sources, quoted in
// docs/reference/legacy-ecommerce.md ("Refunds", "Fulfilment"): openedx/ecommerce
// ecommerce/extensions/api/v2/views/refunds.py (RefundCreateView), ecommerce/extensions/refund/api.py
// (find_orders_associated_with_course, create_refunds), ecommerce/extensions/refund/models.py
// (Refund.create_with_lines), ecommerce/extensions/api/permissions.py (CanActForUser),
// ecommerce/extensions/api/v2/urls.py (REFUND_URLS), ecommerce/extensions/api/v2/views/orders.py
// (OrderViewSet: DjangoModelPermissions), ecommerce/settings/_oscar.py (OSCAR_INITIAL_REFUND_STATUS, the
// refund status pipeline).
const seed = createSeed();
const jwt = parseJwtEnv({});
let simulator: LegacyEcommerceSimulator;
beforeEach(async () => {
  simulator = await createLegacyEcommerceSimulator({ seed: createSeed(), jwt });
});
afterEach(() => simulator.close());

const auth = (username: string, staff = false) => `JWT ${signToken(username, jwt, { staff })}`;
async function call(method: string, path: string, authorization: string, body?: unknown) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}
const courseOf = (number: string) =>
  seed.orders.find((o) => o.number === number)!.lines.find((l) => l.courseKey)!.courseKey!;

it('refuses a refund without course_id or entitlement_uuid: 400 "No course_id specified." (RefundCreateView)', async () => {
  const order = refundableOrders('learner1')[0]!;
  const answer = await call('POST', '/api/v2/refunds/', auth('learner1'), {
    username: 'learner1',
    order_number: order.number,
  });
  expect(answer).toEqual({ status: 400, body: { detail: 'No course_id specified.' } });
  expect(simulator.writes.refunds).toHaveLength(0);
});

it('refuses a refund without username, or for someone else unless staff: 403 (CanActForUser)', async () => {
  const course = courseOf(refundableOrders('learner1')[0]!.number);
  const denied = { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
  expect(await call('POST', '/api/v2/refunds/', auth('learner1'), { course_id: course })).toEqual(denied);
  expect(
    await call('POST', '/api/v2/refunds/', auth('learner2'), { username: 'learner1', course_id: course }),
  ).toEqual(denied);
  expect(simulator.writes.refunds).toHaveLength(0);
});

it('has no refund list route: GET /api/v2/refunds/ is 403, even for staff (urls.py REFUND_URLS)', async () => {
  for (const who of [auth('learner1'), auth('support', true)]) {
    const answer = await call('GET', '/api/v2/refunds/?username=learner1', who);
    expect(answer).toEqual({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
  }
});

it('refunds a course in EVERY Complete order of the user that holds it, one Refund per order, ignoring order_number', async () => {
  const order = ambiguousOrders('learner3')[0]!;
  const course = order.lines.find((l) => l.courseKey)!.courseKey!;
  const holders = seed.orders
    .filter((o) => o.username === 'learner3' && o.status === 'Complete')
    .filter((o) => o.lines.some((l) => l.courseKey === course))
    .map((o) => o.number);
  expect(holders.length).toBeGreaterThan(1);
  const answer = await call('POST', '/api/v2/refunds/', auth('learner3'), {
    username: 'learner3',
    course_id: course,
    order_number: holders[0],
  });
  expect(answer.status).toBe(201);
  expect(answer.body).toHaveLength(holders.length);
  expect(simulator.writes.refunds.map((r) => r.orderNumber).sort()).toEqual([...holders].sort());
});

it('answers 200 [] to a second refund of the same course: nothing left (Refund.create_with_lines)', async () => {
  const course = courseOf(refundableOrders('learner1')[0]!.number);
  const body = { username: 'learner1', course_id: course };
  expect((await call('POST', '/api/v2/refunds/', auth('learner1'), body)).status).toBe(201);
  expect(await call('POST', '/api/v2/refunds/', auth('learner1'), body)).toEqual({ status: 200, body: [] });
  expect(simulator.writes.refunds).toHaveLength(1);
});

it('refuses fulfilment to a staff token without the order.change_order permission: 403 (DjangoModelPermissions)', async () => {
  const open = seed.orders.find((o) => o.status === 'Open')!;
  const staff = await call('PUT', `/api/v2/orders/${open.number}/fulfill/`, auth('support', true));
  expect(staff).toEqual({
    status: 403,
    body: { detail: 'You do not have permission to perform this action.' },
  });
  expect(simulator.writes.executions.fulfillments).toBe(0);
  const service = await call(
    'PUT',
    `/api/v2/orders/${open.number}/fulfill/`,
    auth('switchyard_worker', true),
  );
  expect(service.status).toBe(200);
  expect(simulator.writes.executions.fulfillments).toBe(1);
});

describe('PUT /api/v2/refunds/{id}/process/ (RefundProcessView; Refund.approve / deny in refund/models.py)', () => {
  const created = async (user: string) => {
    const order = refundableOrders(user)[0]!;
    const answer = await call('POST', '/api/v2/refunds/', auth(user), {
      username: user,
      course_id: courseOf(order.number),
    });
    expect(answer.status).toBe(201);
    return answer.body[0] as number;
  };
  const process = (id: number, action: string, who = auth('support', true)) =>
    call('PUT', `/api/v2/refunds/${id}/process/`, who, { action });

  it('creates a paid refund Open (OSCAR_INITIAL_REFUND_STATUS): no credit until processed', async () => {
    const id = await created('learner1');
    expect(simulator.writes.refunds.find((r) => r.id === id)!.status).toBe('Open');
    expect(simulator.writes.effects.credited).toEqual([]);
  });

  it('is staff only (IsAdminUser: 403) and takes approve, approve_payment_only or deny (else 400)', async () => {
    const id = await created('learner1');
    expect(await process(id, 'approve', auth('learner1'))).toEqual({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    expect(await process(id, 'refund')).toEqual({
      status: 400,
      body: { detail: 'The action [refund] is not valid.' },
    });
    expect((await process(9999, 'approve')).status).toBe(404);
    expect(simulator.writes.refunds.find((r) => r.id === id)!.status).toBe('Open');
  });

  it('approve: credit, then the seat revoked, Complete; approving again changes nothing; deny then fails (500)', async () => {
    const id = await created('learner5');
    const approved = await process(id, 'APPROVE');
    expect(approved).toMatchObject({ status: 200, body: { id, status: 'Complete' } });
    expect(simulator.writes.effects.credited).toEqual([id]);
    expect(simulator.writes.effects.revokedSeats).toHaveLength(1);
    expect(await process(id, 'approve')).toMatchObject({ status: 200, body: { status: 'Complete' } });
    expect(simulator.writes.effects.credited).toEqual([id]);
    expect(await process(id, 'deny')).toMatchObject({ status: 500, body: { status: 'Complete' } });
  });

  it('approve_payment_only: credit without revocation; deny: Denied, and a Denied refund cannot be approved', async () => {
    const paid = await created('learner3');
    expect(await process(paid, 'approve_payment_only')).toMatchObject({
      status: 200,
      body: { status: 'Complete' },
    });
    expect(simulator.writes.effects.revokedSeats).toEqual([]);
    const denied = await created('learner4');
    expect(await process(denied, 'deny')).toMatchObject({ status: 200, body: { status: 'Denied' } });
    expect(await process(denied, 'approve')).toMatchObject({ status: 500, body: { status: 'Denied' } });
    expect(simulator.writes.effects.credited).toEqual([paid]);
  });
});
