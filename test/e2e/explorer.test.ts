import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getJson, startTestStack, type TestStack } from '../helpers/startTestStack';

// Debian's package (`apt-get install -y chromium`); playwright-core ships no browser of its own.
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, 'screenshots', 'explorer.png');

/** The text of a CodeMirror 5 editor: GraphiQL 3 keeps the instance on the wrapper element. */
const editorText = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const wrapper = document.querySelector(sel) as (Element & { CodeMirror?: { getValue(): string } }) | null;
    return wrapper?.CodeMirror?.getValue() ?? null;
  }, selector);

const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const RESULT_EDITOR = '.result-window .CodeMirror';

let stack: TestStack;
let browser: Browser | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the GraphiQL explorer at GET /', () => {
  it('loads from the gateway alone and runs the default query with the demo token', async () => {
    const legacy = await getJson(
      `${stack.simulators.legacy!.url}/api/v2/orders/?username=learner1&page=1&page_size=20`,
      `JWT ${stack.token('learner1')}`,
    );
    expect(legacy.status).toBe(200);
    expect(legacy.body.count).toBeGreaterThan(0);
    const expectedNumbers: string[] = legacy.body.results.map((o: any) => o.number);

    const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    const requests: { url: string; method: string; authorization?: string; body: string | null }[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) =>
      requests.push({
        url: request.url(),
        method: request.method(),
        authorization: request.headers()['authorization'],
        body: request.postData(),
      }),
    );
    page.on('console', (message) => {
      if (message.type() === 'error')
        pageErrors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));

    const response = await page.goto(`${stack.gatewayUrl}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    // GraphiQL rendered: the query editor holds the default query.
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 15_000 });
    expect(await editorText(page, '.graphiql-query-editor .CodeMirror')).toContain(
      'orderHistory(page: $page',
    );

    // The headers tab is open by default on simulators; open it if a GraphiQL change ever closes it.
    const headersTab = page.locator('.graphiql-editor-tools button[data-name="headers"]');
    if (!((await headersTab.getAttribute('class')) ?? '').includes('active')) await headersTab.click();
    await page.waitForSelector(HEADERS_EDITOR, { state: 'visible' });
    const headers = JSON.parse((await editorText(page, HEADERS_EDITOR)) ?? '{}') as Record<string, string>;
    expect(headers.Authorization).toMatch(/^JWT \S+$/);

    const legacyCallsBefore = stack.simulators.legacy!.stats().byRoute['orders.list'] ?? 0;
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      (sel) => {
        const wrapper = document.querySelector(sel) as
          (Element & { CodeMirror?: { getValue(): string } }) | null;
        return (wrapper?.CodeMirror?.getValue() ?? '').includes('"orderHistory"');
      },
      RESULT_EDITOR,
      { timeout: 15_000 },
    );

    const resultText = (await editorText(page, RESULT_EDITOR)) ?? '';
    // What a person sees, not just the editor model: the rendered result pane shows the same order.
    const renderedText = await page.locator('.result-window').innerText();
    expect(renderedText).toContain('"orderHistory"');
    expect(renderedText).toContain(expectedNumbers[0]);

    const result = JSON.parse(resultText) as {
      data?: { orderHistory: { count: number; pageCount: number; orders: { number: string }[] } };
      errors?: unknown[];
    };
    expect(result.errors).toBeUndefined();
    expect(result.data!.orderHistory.count).toBe(legacy.body.count);
    expect(result.data!.orderHistory.pageCount).toBe(Math.ceil(legacy.body.count / 20));
    expect(result.data!.orderHistory.orders.map((o) => o.number)).toEqual(expectedNumbers);
    expect(stack.simulators.legacy!.stats().byRoute['orders.list'] ?? 0).toBeGreaterThan(legacyCallsBefore);

    // The run went to the gateway with the pre-filled header.
    const run = requests.find((r) => r.method === 'POST' && (r.body ?? '').includes('OrderHistory'));
    expect(run?.url).toBe(`${stack.gatewayUrl}/graphql`);
    expect(run?.authorization).toBe(headers.Authorization);

    mkdirSync(join(__dirname, 'screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(0);

    // Nothing from a CDN: every network request the page made went to the gateway itself.
    const origin = new URL(stack.gatewayUrl).origin;
    const network = requests.filter((r) => /^https?:/.test(r.url));
    expect(network.map((r) => r.url)).toContain(`${origin}/explorer/graphiql.js`);
    expect(network.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url)).toEqual([]);
    expect(pageErrors).toEqual([]);

    await page.close();
  }, 60_000);
});
