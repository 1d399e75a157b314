import { createServer, type Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  loadOrderHistoryInBrowser,
  type BrowserMfeConfig,
} from '../../examples/order-history-mfe/loadOrderHistoryInBrowser';
import { close, listen } from '../../platform/http/listen';
import { LMS_DEV_LEARNER_PASSWORD } from '../../simulators/lms/createLmsOAuthSimulator';
import { recordingProxy, type RecordingProxy } from '../helpers/recordingProxy';
import { startTestStack, type TestStack } from '../helpers/startTestStack';

// A learner signs in at the LMS simulator in headless Chromium, then the MFE page (another origin)
// reads their order history through the gateway with the LMS's JWT cookies, as frontend-platform does.
// The browser, not a mock, decides what it sends: the cookies, the preflight, the Origin.
//
// Hosts: the LMS, the gateway (behind a recording proxy) and the MFE all on 127.0.0.1, each its own
// port: distinct origins of one site, as lms.example.org, api.example.org and apps.example.org are.
// The LMS's cookies are host-only and SameSite=Lax over plain HTTP, so the browser sends them to any
// port of 127.0.0.1: the gateway itself must tell the MFE from another page. Two attacker pages: one
// on the same site (127.0.0.1, a port not in CORS_ORIGIN_WHITELIST: the browser does send the cookies
// there, the hard case) and one cross-site (localhost).
const CHROMIUM = '/usr/bin/chromium';

let stack: TestStack;
let browser: Browser | undefined;
let gateway: RecordingProxy;
let pages: Server;
let mfeOrigin: string;
let sameSiteAttacker: string;
let crossSiteAttacker: string;
let context: BrowserContext;

/** Serves a blank page on any path: the origin is what matters, the script comes from the test. */
function blankPages(): Server {
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>page</title></head><body></body></html>');
  });
}

beforeAll(async () => {
  // Three origins from three listeners: known before the stack starts, so its CORS list can name one.
  pages = blankPages();
  const attackerPages = blankPages();
  const crossSitePages = blankPages();
  mfeOrigin = await listen(pages, 0);
  sameSiteAttacker = await listen(attackerPages, 0);
  crossSiteAttacker = (await listen(crossSitePages, 0)).replace('127.0.0.1', 'localhost');
  stack = await startTestStack({ CORS_ORIGIN_WHITELIST: mfeOrigin }, { jwksOnly: true });
  gateway = await recordingProxy(stack.gatewayUrl);
  const closeOthers = async () => {
    await close(attackerPages, 500);
    await close(crossSitePages, 500);
  };
  afterAllClosers.push(closeOthers);
  browser = await launchChromium();
  context = await browser.newContext();
  // The learner signs in at the LMS, in the browser: a real form post, the cookies stored by Chromium.
  const lms = await context.newPage();
  await lms.goto(`${stack.simulators.lms!.url}/login`);
  await lms.fill('input[name=email_or_username]', 'learner3');
  await lms.fill('input[name=password]', LMS_DEV_LEARNER_PASSWORD);
  // The sign-in's own answer, not the page's load state (already "load" before the click).
  await Promise.all([
    lms.waitForResponse(
      (r) =>
        r.request().method() === 'POST' &&
        new URL(r.url()).pathname === '/api/user/v2/account/login_session/',
    ),
    lms.click('button[type=submit]'),
  ]);
  await lms.close();
}, 150_000);

/**
 * Chromium with a bounded start, tried twice: a launch that hung once in CI (no output, the hook's
 * 90 s spent) now fails in 45 s naming the launch, and a second try gets its own 45 s.
 */
async function launchChromium(): Promise<Browser> {
  const options = {
    executablePath: CHROMIUM,
    timeout: 45_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  };
  try {
    return await chromium.launch(options);
  } catch {
    return chromium.launch(options);
  }
}

const afterAllClosers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  if (pages) await close(pages, 500);
  for (const closer of afterAllClosers) await closer();
  await stack?.stop();
});

const config = (extra: Partial<BrowserMfeConfig> = {}): BrowserMfeConfig => ({
  graphqlUrl: `${gateway.url}/graphql`,
  refreshUrl: `${stack.simulators.lms!.url}/login_refresh`,
  accessTokenCookieName: 'edx-jwt-cookie-header-payload',
  page: 1,
  pageSize: 5,
  ...extra,
});
const legacyCalls = () => stack.simulators.legacy!.stats().total;
async function pageAt(origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return page;
}

it('reads the learner’s history from the MFE origin: the browser sends the preflight, then the cookies', async () => {
  const expected = await stack.query<{ orderHistory: { count: number } }>(
    '{ orderHistory(page: 1, pageSize: 5) { count } }',
    { authorization: `JWT ${await stack.simulators.lms!.learnerToken('learner3')}` },
  );
  gateway.exchanges.length = 0;
  const page = await pageAt(mfeOrigin);
  const outcome = await page.evaluate(loadOrderHistoryInBrowser, config());
  await page.close();
  expect(outcome).toMatchObject({ kind: 'page', username: 'learner3' });
  if (outcome.kind !== 'page') throw new Error('no page');
  expect(outcome.count).toBe(expected.body.data!.orderHistory.count);
  expect(outcome.numbers.length).toBeGreaterThan(0);
  // What Chromium sent: a preflight, then the POST with both cookies, the header and its Origin.
  expect(gateway.exchanges.map((e) => [e.method, e.origin, e.status])).toEqual([
    ['OPTIONS', mfeOrigin, 204],
    ['POST', mfeOrigin, 200],
  ]);
  expect(gateway.exchanges[1]!.cookies).toEqual(
    expect.arrayContaining(['edx-jwt-cookie-header-payload', 'edx-jwt-cookie-signature']),
  );
  expect(gateway.exchanges[1]!.useJwtCookie).toBe('true');
});

it('is refused from the MFE origin without USE-JWT-COOKIE, though the browser sent the cookies', async () => {
  stack.simulators.legacy!.resetStats();
  gateway.exchanges.length = 0;
  const page = await pageAt(mfeOrigin);
  const outcome = await page.evaluate(loadOrderHistoryInBrowser, config({ withoutJwtCookieHeader: true }));
  await page.close();
  expect(outcome).toEqual({ kind: 'signIn', status: 401 });
  const post = gateway.exchanges.find((e) => e.method === 'POST')!;
  expect(post.cookies).toContain('edx-jwt-cookie-signature');
  expect(legacyCalls()).toBe(0);
});

describe.each([
  ['another origin of the same site (the browser sends the cookies)', () => sameSiteAttacker, true],
  ['another site (localhost: SameSite=Lax keeps the cookies home)', () => crossSiteAttacker, false],
])('a page on %s', (_label, origin, cookiesSent) => {
  beforeEach(() => {
    stack.simulators.legacy!.resetStats();
    gateway.exchanges.length = 0;
  });

  it('cannot send USE-JWT-COOKIE: the preflight is denied, and no POST is sent', async () => {
    const page = await pageAt(origin());
    const failure = await page.evaluate(async (url) => {
      try {
        await fetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'USE-JWT-COOKIE': 'true' },
          body: JSON.stringify({ query: '{ orderHistory { count orders { number } } }' }),
        });
        return 'read';
      } catch (error) {
        return (error as Error).message;
      }
    }, `${gateway.url}/graphql`);
    await page.close();
    expect(failure).toContain('Failed to fetch');
    expect(gateway.exchanges.map((e) => [e.method, e.origin])).toEqual([['OPTIONS', origin()]]);
    expect(legacyCalls()).toBe(0);
  });

  it('gets nothing from a simple cross-origin POST (no preflight) carrying whatever cookies the browser adds', async () => {
    const page = await pageAt(origin());
    await page.evaluate(async (url) => {
      await fetch(url, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: '{ orderHistory { count } }' }),
      });
    }, `${gateway.url}/graphql`);
    await page.close();
    const post = gateway.exchanges.find((e) => e.method === 'POST')!;
    expect(post.cookies.includes('edx-jwt-cookie-signature')).toBe(cookiesSent);
    expect(post.status).toBe(400);
    expect(legacyCalls()).toBe(0);
  });

  it('gets nothing from a form posted to the gateway', async () => {
    const page = await pageAt(origin());
    await page.setContent(
      `<form id="f" method="post" enctype="text/plain" action="${gateway.url}/graphql">` +
        `<input name='{"query":"{ orderHistory { count } }","x":"' value='"}'></form>`,
    );
    await Promise.all([
      page.waitForLoadState('load'),
      page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
    ]);
    await page.waitForURL(`${gateway.url}/graphql`);
    await page.close();
    const post = gateway.exchanges.find((e) => e.method === 'POST')!;
    expect(post.status).toBe(400);
    expect(legacyCalls()).toBe(0);
  });
});
