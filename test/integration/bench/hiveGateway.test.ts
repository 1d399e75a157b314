import { ORDER_HISTORY_BODY } from '../../../bench/orderHistoryQuery';
import { compareAnswers, type Answer } from '../../../bench/sameAnswer';
import { spawnComponent, type Component } from '../../helpers/spawnComponent';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/startRecordingProxy';
import { startTestStack, upstreamVarsOf, type TestStack } from '../../helpers/startTestStack';

// The bench's `hive` stack (bench/plain/hiveGatewayMain.ts, from dist/): Hive Gateway's runtime over
// the plain subgraph processes, on Node 20, against the real simulators. It must answer the MFE's page
// as our gateway does (the bench's same-data check), forward the learner's token to both subgraphs,
// and refuse a request without a valid token as the plain gateway does.

let stack: TestStack;
let proxies: RecordingProxy[] = [];
const components: Component[] = [];

/** The URL a bench/plain process prints once it listens (it logs nothing else), or its exit. */
function listeningAt(component: Component): Promise<string> {
  return new Promise((resolve, reject) => {
    const seen = () => /listening at (http:\/\/\S+)/.exec(component.stderr())?.[1];
    const check = () => {
      const url = seen();
      if (url) {
        component.process.stderr!.off('data', check);
        resolve(url);
      }
    };
    component.process.stderr!.on('data', check);
    check();
    void component.exited.then(() => reject(new Error(`exited: ${component.stderr().slice(-500)}`)));
  });
}

async function start(entry: string, env: Record<string, string>): Promise<string> {
  const component = spawnComponent(entry, env);
  components.push(component);
  return listeningAt(component);
}

let hive: string;
beforeAll(async () => {
  stack = await startTestStack();
  const upstreams = upstreamVarsOf(stack);
  const orders = await start('bench/plain/plainOrdersMain.js', { ...upstreams, ORDERS_SUBGRAPH_PORT: '0' });
  const catalog = await start('bench/plain/plainCatalogMain.js', {
    ...upstreams,
    CATALOG_SUBGRAPH_PORT: '0',
  });
  // Between Hive and each subgraph, to see the headers it sends.
  proxies = await Promise.all([startRecordingProxy(orders), startRecordingProxy(catalog)]);
  hive = await start('bench/plain/hiveGatewayMain.js', {
    GATEWAY_PORT: '0',
    ORDERS_SUBGRAPH_URL: `${proxies[0]!.url}/graphql`,
    CATALOG_SUBGRAPH_URL: `${proxies[1]!.url}/graphql`,
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(components.map((c) => c.kill('SIGKILL')));
  await Promise.all(proxies.map((p) => p.close()));
  await stack?.stop();
});

async function page(url: string, authorization?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: ORDER_HISTORY_BODY,
  });
  return { status: response.status, body: await response.json() };
}

describe("the bench's Hive Gateway over the plain subgraphs", () => {
  it("answers learner3's page exactly as our gateway does, the token forwarded to both subgraphs", async () => {
    const authorization = `JWT ${stack.token('learner3')}`;
    const [ours, theirs] = await Promise.all([
      page(`${stack.gatewayUrl}/graphql`, authorization),
      page(hive, authorization),
    ]);
    expect(theirs).toEqual(ours);
    expect((theirs.body as { data: unknown }).data).toBeTruthy();
    for (const proxy of proxies) {
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests.every((r) => r.headers.authorization === authorization)).toBe(true);
    }
  });

  it("answers learner1's retired course run with the same data, its finding in errors: the check says so", async () => {
    const authorization = `JWT ${stack.token('learner1')}`;
    const [ours, theirs] = await Promise.all([
      page(`${stack.gatewayUrl}/graphql`, authorization),
      page(hive, authorization),
    ]);
    const comparison = compareAnswers(theirs, ours);
    expect(comparison).toMatchObject({ same: true, note: expect.stringContaining('"courseRun","title"') });
  });

  it('refuses a request without a token, or with a bad one, as the plain gateway does: 401 UNAUTHENTICATED', async () => {
    const before = proxies.map((p) => p.requests.length);
    for (const [authorization, message] of [
      [undefined, 'missing token'],
      ['JWT not-a-token', 'invalid token'],
    ] as const) {
      const answer = await page(hive, authorization);
      expect(answer).toEqual({
        status: 401,
        body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] },
      });
    }
    // Refused at the gateway: no subgraph saw either request.
    expect(proxies.map((p) => p.requests.length)).toEqual(before);
  });
});
