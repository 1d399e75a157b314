import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
  type LegacyEcommerceSimulator,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import {
  createLmsOAuthSimulator,
  type LmsOAuthSimulator,
} from '../../simulators/lms/createLmsOAuthSimulator';
import {
  courseUuidOf,
  ENTITLED_LEARNER,
  ENTITLEMENT_CASES,
  entitlementOrder,
  entitlementRefundSeed,
  entitlementUuidOf,
  grantEntitlements,
  REDEEMED_RUN,
} from '../helpers/entitlementRefundSeed';

// The two upstream halves of an entitlement refund, each rule as the real service keeps it (sources in
// docs/reference/lms-entitlements.md and legacy-ecommerce.md, "Entitlements"): edx-platform's
// EntitlementViewSet list, and ecommerce's entitlement branch of RefundCreateView with its exact answers.
const jwt = parseJwtEnv({});
let legacy: LegacyEcommerceSimulator;
let lms: LmsOAuthSimulator;
beforeAll(async () => {
  legacy = await createLegacyEcommerceSimulator({
    seed: entitlementRefundSeed(),
    jwt,
    throttleRate: LOAD_TEST_THROTTLE_RATE,
  });
  lms = await createLmsOAuthSimulator({ jwt });
  grantEntitlements(lms.entitlements, lms.enrollments);
  lms.entitlements.grant({
    username: 'someone_else',
    uuid: 'e0000000-0000-4000-8000-999999999999',
    courseUuid: courseUuidOf('open'),
    orderNumber: 'EDX-1',
    mode: 'verified',
    refundLocked: false,
    expiredAt: null,
    created: '2026-01-01T00:00:00.000Z',
    enrollmentCourseRun: null,
  });
});
afterAll(async () => Promise.all([legacy.close(), lms.close()]));

const auth = (username: string, staff = false) => `JWT ${signToken(username, jwt, { staff })}`;
async function call(url: string, authorization?: string, body?: unknown) {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
const list = (query: string, authorization?: string) =>
  call(`${lms.url}/api/entitlements/v1/entitlements/${query}`, authorization);

describe('LMS GET /api/entitlements/v1/entitlements/', () => {
  it('needs a JWT', async () => {
    expect((await list('')).status).toBe(401);
  });

  it('serves a staff caller the named user, in DefaultPagination’s body and the serializer’s fields', async () => {
    const page = await list(`?user=${ENTITLED_LEARNER}&page_size=3`, auth('switchyard_worker', true));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      count: ENTITLEMENT_CASES.length,
      num_pages: Math.ceil(ENTITLEMENT_CASES.length / 3),
      current_page: 1,
      start: 0,
      previous: null,
      next: expect.stringContaining('page=2'),
    });
    expect(page.body.results).toHaveLength(3);
    expect(Object.keys(page.body.results[0]).sort()).toEqual(
      [
        'user',
        'uuid',
        'course_uuid',
        'enrollment_course_run',
        'expired_at',
        'created',
        'modified',
        'mode',
        'refund_locked',
        'order_number',
        'support_details',
      ].sort(),
    );
    expect(page.body.results[0]).toMatchObject({
      user: ENTITLED_LEARNER,
      uuid: entitlementUuidOf('open'),
      course_uuid: courseUuidOf('open'),
      order_number: entitlementOrder('open'),
      refund_locked: false,
    });
    const next = await call(page.body.next, auth('switchyard_worker', true));
    expect(next.body).toMatchObject({ current_page: 2, start: 3 });
    expect((await list(`?user=${ENTITLED_LEARNER}&page=9`, auth('switchyard_worker', true))).body).toEqual({
      detail: 'Invalid page.',
    });
    // max_page_size 100, default 50.
    const capped = await list(`?user=${ENTITLED_LEARNER}&page_size=1000`, auth('switchyard_worker', true));
    expect(capped.body.results).toHaveLength(ENTITLEMENT_CASES.length);
  });

  it('shows a learner only their own, whatever `user` says', async () => {
    const own = await list('?user=someone_else', auth(ENTITLED_LEARNER));
    expect(own.body.count).toBe(0);
    const mine = await list('', auth(ENTITLED_LEARNER));
    expect(mine.body.count).toBe(ENTITLEMENT_CASES.length);
    const filtered = await list(
      `?uuid=${entitlementUuidOf('open')},${entitlementUuidOf('locked')}`,
      auth(ENTITLED_LEARNER),
    );
    expect(filtered.body.results.map((e: any) => e.uuid)).toEqual([
      entitlementUuidOf('open'),
      entitlementUuidOf('locked'),
    ]);
  });
});

describe('ecommerce POST /api/v2/refunds/ with order_number + entitlement_uuid', () => {
  const refunds = `http://placeholder/api/v2/refunds/`;
  const post = (body: unknown, authorization = auth(ENTITLED_LEARNER)) =>
    call(refunds.replace('http://placeholder', legacy.url), authorization, body);

  it('answers 400 "Order … does not exist." for an unknown order, a uuid not in it, and someone else’s order', async () => {
    for (const body of [
      { username: ENTITLED_LEARNER, order_number: 'EDX-0', entitlement_uuid: entitlementUuidOf('open') },
      {
        username: ENTITLED_LEARNER,
        order_number: entitlementOrder('open'),
        entitlement_uuid: entitlementUuidOf('locked'),
      },
      { username: ENTITLED_LEARNER, order_number: 'EDX-100001', entitlement_uuid: entitlementUuidOf('open') },
    ])
      expect(await post(body)).toEqual({
        status: 400,
        body: { detail: `Order ${body.order_number} does not exist.` },
      });
    expect(await post({ username: ENTITLED_LEARNER, entitlement_uuid: entitlementUuidOf('open') })).toEqual({
      status: 400,
      body: { detail: 'Order None does not exist.' },
    });
  });

  it('creates one Open refund for the line (201 [id]); the same line again is 400, never 200 []', async () => {
    const body = {
      username: ENTITLED_LEARNER,
      order_number: entitlementOrder('window'),
      entitlement_uuid: entitlementUuidOf('window'),
    };
    const first = await post(body);
    expect(first).toEqual({ status: 201, body: [expect.any(Number)] });
    expect(legacy.writes.refunds.find((r) => r.id === first.body[0])).toMatchObject({
      status: 'Open',
      courseKeys: [],
      entitlementUuids: [entitlementUuidOf('window')],
      totalCredit: '199.00',
    });
    expect(await post(body)).toEqual({
      status: 400,
      body: { detail: `Order ${entitlementOrder('window')} does not exist.` },
    });
  });

  it('lets only staff refund for another user (CanActForUser)', async () => {
    const body = {
      username: ENTITLED_LEARNER,
      order_number: entitlementOrder('locked'),
      entitlement_uuid: entitlementUuidOf('locked'),
    };
    expect((await post(body, auth('learner1'))).status).toBe(403);
    expect((await post(body, auth('support', true))).status).toBe(201);
  });

  it('renders an entitlement line as OrderSerializer does: class Course Entitlement, UUID and certificate_type', async () => {
    const order = await call(
      `${legacy.url}/api/v2/orders/${entitlementOrder('open')}/`,
      auth(ENTITLED_LEARNER),
    );
    expect(order.body.lines[0].product).toMatchObject({
      product_class: 'Course Entitlement',
      attribute_values: [
        { name: 'certificate_type', code: 'certificate_type', value: 'verified' },
        { name: 'UUID', code: 'UUID', value: courseUuidOf('open') },
      ],
    });
    // The order line's `course_entitlement` attribute (the LMS uuid) is not serialized.
    expect(JSON.stringify(order.body)).not.toContain(entitlementUuidOf('open'));
  });
});

describe('LMS GET /api/enrollment/v1/enrollment/{username},{course_id} (EnrollmentView)', () => {
  const enrollment = (username: string, courseId: string, authorization?: string) =>
    fetch(`${lms.url}/api/enrollment/v1/enrollment/${username},${encodeURIComponent(courseId)}`, {
      headers: authorization ? { authorization } : {},
    }).then(async (r) => ({ status: r.status, text: await r.text() }));

  it('answers staff with CourseEnrollmentSerializer’s fields, course_start among the course details', async () => {
    const answer = await enrollment(ENTITLED_LEARNER, REDEEMED_RUN, auth('switchyard_worker', true));
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text);
    expect(Object.keys(body).sort()).toEqual(['course_details', 'created', 'is_active', 'mode', 'user']);
    expect(body.course_details).toMatchObject({ course_id: REDEEMED_RUN, course_start: expect.any(String) });
  });

  it('answers 200 with an empty body when there is no enrollment (Response(None))', async () => {
    expect(
      await enrollment(ENTITLED_LEARNER, 'course-v1:No+Such+Run', auth('switchyard_worker', true)),
    ).toEqual({
      status: 200,
      text: '',
    });
  });

  it('hides another user’s enrollment from a learner: 404 with an empty body; 401 without a JWT', async () => {
    expect(await enrollment(ENTITLED_LEARNER, REDEEMED_RUN, auth('learner1'))).toEqual({
      status: 404,
      text: '',
    });
    expect((await enrollment(ENTITLED_LEARNER, REDEEMED_RUN)).status).toBe(401);
    expect((await enrollment(ENTITLED_LEARNER, REDEEMED_RUN, auth(ENTITLED_LEARNER))).status).toBe(200);
  });
});
