import { signToken } from '../../platform/auth/signToken';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { createDiscoverySimulator } from '../../simulators/discovery/createDiscoverySimulator';
import type { Simulator } from '../../simulators/kit/createSimulator';
import { createSeed } from '../../simulators/seed/createSeed';

// The discovery simulator is a claim about openedx/course-discovery: each rule below names the file it
// comes from (docs/reference/discovery.md has the detail) and checks the simulator keeps it, over HTTP.
const jwt = parseJwtEnv({});
const seed = createSeed();
const runs = seed.courseRuns;
const open = runs.find((r) => r.restrictionType === null && r.runType === 'verified-audit')!;
const b2c = runs.find((r) => r.restrictionType === 'custom-b2c')!;
const b2b = runs.find((r) => r.restrictionType === 'custom-b2b-enterprise')!;
const retired = runs.find((r) => r.runType === 'paid-bootcamp' && r.restrictionType === null)!;

let now: number;
let sim: Simulator;
afterEach(() => sim.close());

async function start(options: { throttleRate?: string } = {}) {
  now = Date.now();
  sim = await createDiscoverySimulator({ seed, jwt, now: () => now, ...options });
}

const auth = (user: string, staff = false) => `JWT ${signToken(user, jwt, { staff })}`;
async function get(path: string, user: string | null = 'learner1', staff = false) {
  const response = await fetch(`${sim.url}${path}`, {
    headers: user ? { authorization: auth(user, staff) } : {},
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const list = (keys: string[], extra = '') =>
  `/api/v1/course_runs/?keys=${keys.map(encodeURIComponent).join(',')}&limit=50${extra}`;
const detail = (key: string, extra = '') => `/api/v1/course_runs/${encodeURIComponent(key)}/${extra}`;
const keysOf = (body: { results: { key: string }[] }) => body.results.map((r) => r.key).sort();

describe('discovery simulator keeps course-discovery’s rules', () => {
  beforeEach(() => start());

  // Django CommonMiddleware with APPEND_SLASH (course_discovery/settings/base.py MIDDLEWARE) and DRF's
  // SimpleRouter, whose routes end in "/" (course_discovery/apps/api/v1/urls.py).
  it('redirects a path without its trailing slash (301), query kept, before authentication', async () => {
    const key = encodeURIComponent(open.key);
    const listing = await get(`/api/v1/course_runs?keys=${key}`, null);
    expect(listing.status).toBe(301);
    expect(listing.headers.get('location')).toBe(`/api/v1/course_runs/?keys=${key}`);
    const one = await get(`/api/v1/course_runs/${key}`, null);
    expect(one.status).toBe(301);
    expect(one.headers.get('location')).toBe(`/api/v1/course_runs/${key}/`);
  });

  // api/serializers.py get_marketing_url_for_user + core/models.py (referral_tracking_id default).
  it('puts the caller’s username in marketing_url (utm_source) unless exclude_utm=1', async () => {
    const base = `https://www.example.org/course/${open.course.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const withUtm = await get(list([open.key]), 'learner7');
    expect(withUtm.body.results[0].marketing_url).toBe(
      `${base}?utm_source=learner7&utm_medium=affiliate_partner`,
    );
    const lookup = await get(detail(open.key), 'learner7');
    expect(lookup.body.marketing_url).toBe(`${base}?utm_source=learner7&utm_medium=affiliate_partner`);
    const zero = await get(list([open.key], '&exclude_utm=0'), 'learner7');
    expect(zero.body.results[0].marketing_url).toContain('utm_source=learner7');
    const excluded = await get(list([open.key], '&exclude_utm=1'), 'learner7');
    expect(excluded.body.results[0].marketing_url).toBe(base);
  });

  // api/cache.py: CompressedCacheResponseMixin keyed by query string (QueryParamsKeyBit), not user;
  // settings/base.py USE_API_CACHING = True. Why Switchyard must send exclude_utm=1.
  it('caches answers by query string, so one caller’s username reaches the next', async () => {
    await get(list([open.key]), 'learner7');
    const other = await get(list([open.key]), 'learner9');
    expect(other.body.results[0].marketing_url).toContain('utm_source=learner7');
    const ownQuery = await get(list([open.key], '&exclude_utm=1'), 'learner9');
    expect(ownQuery.body.results[0].marketing_url).not.toContain('utm_source');
  });

  // api/v1/views/course_runs.py get_queryset + api/utils.py get_excluded_restriction_types +
  // course_metadata/choices.py CourseRunRestrictionType.
  it('hides restricted runs unless include_restricted names their type, in lists and lookups', async () => {
    const keys = [open.key, b2c.key, b2b.key];
    expect(keysOf((await get(list(keys))).body)).toEqual([open.key]);
    expect(keysOf((await get(list(keys, '&include_restricted=custom-b2c'))).body)).toEqual(
      [open.key, b2c.key].sort(),
    );
    const both = await get(list(keys, '&include_restricted=custom-b2b-enterprise,custom-b2c'));
    expect(keysOf(both.body)).toEqual([...keys].sort());
    const byKey = new Map(both.body.results.map((r: { key: string }) => [r.key, r]));
    expect(byKey.get(b2c.key)).toMatchObject({ restriction_type: 'custom-b2c' });
    expect(byKey.get(open.key)).toMatchObject({ restriction_type: null });

    expect(await get(detail(b2b.key))).toMatchObject({
      status: 404,
      body: { detail: 'No CourseRun matches the given query.' },
    });
    expect((await get(detail(b2b.key, '?include_restricted=custom-b2b-enterprise'))).status).toBe(200);
  });

  // api/v1/views/course_runs.py get_queryset: settings.RETIRED_RUN_TYPES excluded unless
  // include_retired_run_types (an integer, api/utils.py get_query_param).
  it('hides retired run types unless include_retired_run_types=1', async () => {
    const keys = [open.key, retired.key];
    expect(keysOf((await get(list(keys))).body)).toEqual([open.key]);
    expect(keysOf((await get(list(keys, '&include_retired_run_types=0'))).body)).toEqual([open.key]);
    expect(keysOf((await get(list(keys, '&include_retired_run_types=1'))).body)).toEqual([...keys].sort());
    expect((await get(detail(retired.key))).status).toBe(404);
    expect((await get(detail(retired.key, '?include_retired_run_types=1'))).status).toBe(200);
  });

  // api/utils.py cast2int re-raises the ValueError: Django answers a bare 500.
  it('fails (500) on a flag that is not an integer, as int() does there', async () => {
    expect((await get(list([open.key], '&exclude_utm=true'))).status).toBe(500);
    expect((await get(list([open.key], '&include_retired_run_types=yes'))).status).toBe(500);
  });

  // DRF LimitOffsetPagination.get_next_link: the request's own URL, limit and offset replaced.
  it('keeps every query parameter in the next link', async () => {
    const page = await get(
      `/api/v1/course_runs/?limit=2&exclude_utm=1&include_restricted=custom-b2c&include_retired_run_types=1`,
    );
    const next = new URL(page.body.next);
    expect(Object.fromEntries(next.searchParams)).toEqual({
      limit: '2',
      offset: '2',
      exclude_utm: '1',
      include_restricted: 'custom-b2c',
      include_retired_run_types: '1',
    });
  });
});

// core/throttles.py OverridableUserRateThrottle, settings/base.py DEFAULT_THROTTLE_RATES user 200/hour,
// and DRF's SimpleRateThrottle / Throttled (rest_framework/throttling.py, exceptions.py).
describe('discovery simulator throttles like course-discovery', () => {
  const one = () => detail(open.key, '?exclude_utm=1');

  it('lets a non-staff user make 200 requests an hour, then answers DRF’s 429 with Retry-After', async () => {
    await start();
    for (let i = 0; i < 200; i++) expect((await get(one(), 'learner1')).status).toBe(200);
    now += 600_000;
    const refused = await get(one(), 'learner1');
    // The oldest request leaves the window 3000 s from now; one request is then available.
    expect(refused).toMatchObject({
      status: 429,
      body: { detail: 'Request was throttled. Expected available in 3000 seconds.' },
    });
    expect(refused.headers.get('retry-after')).toBe('3000');
    // Per user: someone else is not affected; and the window slides.
    expect((await get(one(), 'learner2')).status).toBe(200);
    now += 3000_000;
    expect((await get(one(), 'learner1')).status).toBe(200);
  });

  it('never throttles staff (the JWT’s administrator claim)', async () => {
    await start({ throttleRate: '3/hour' });
    for (let i = 0; i < 10; i++) expect((await get(one(), 'svc', true)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(one(), 'learner1')).status).toBe(200);
    expect((await get(one(), 'learner1')).status).toBe(429);
  });

  it('authenticates before it throttles, and counts only admitted requests', async () => {
    await start({ throttleRate: '1/minute' });
    expect((await get(one(), null)).status).toBe(401);
    expect((await get(one(), 'learner1')).status).toBe(200);
    now += 30_000;
    const refused = await get(one(), 'learner1');
    expect(refused.headers.get('retry-after')).toBe('30');
    // A refused request is not recorded: the window still ends 60 s after the first one.
    now += 29_000;
    expect((await get(one(), 'learner1')).body.detail).toBe(
      'Request was throttled. Expected available in 1 second.',
    );
    now += 1000;
    expect((await get(one(), 'learner1')).status).toBe(200);
  });
});
