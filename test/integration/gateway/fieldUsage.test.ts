import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, listen } from '../../../platform/http/listen';
import { schemaDirectory } from '../../../schema/schemaDirectory';
import { readRegisteredOperations } from '../../../scripts/schemaCheck/readRegisteredOperations';
import { runSchemaCheck } from '../../../scripts/schemaCheck/runSchemaCheck';
import { usageFromFile } from '../../../scripts/schemaCheck/usageFromFile';
import { MAX_VERSIONS_PER_CLIENT } from '../../../gateway/plugins/countFieldUsage';
import { promSample } from '../../helpers/promSample';
import { runScript } from '../../helpers/runScript';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Usage counted from real requests through the gateway, read back by schema:check from a scrape and
// from a Prometheus HTTP API (a tiny server answering /api/v1/query's real shape).
const ROOT = join(schemaDirectory(), '..');
const MFE_BODY = (
  JSON.parse(readFileSync(join(ROOT, 'persisted-queries', 'order-history-mfe.json'), 'utf8')) as {
    operations: { body: string }[];
  }
).operations[0]!.body;
// Asked for by a client no manifest registers: only usage can tell that paymentMethod is in use.
const PAYMENT = 'query Payment { order(number: "EDX-100001") { number paymentMethod } }';
const ORDERS = readFileSync(join(schemaDirectory(), 'orders.graphql'), 'utf8');
const REMOVED_PAYMENT = ORDERS.replace(/\n[^\n]*\n  paymentMethod: String/, '');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-usage-'));
const USAGE = 'switchyard_field_usage_total';

describe('field usage from the gateway', () => {
  let stack: TestStack;
  let scrape: string;
  beforeAll(async () => {
    stack = await startTestStack({ FIELD_USAGE_CLIENTS: 'order-history-mfe,admin-mfe' });
    const mfe = { 'apollographql-client-name': 'order-history-mfe', 'apollographql-client-version': '1.4.0' };
    for (let i = 0; i < 2; i++) {
      const answer = await stack.query(MFE_BODY, {
        user: 'learner1',
        headers: mfe,
        variables: { page: 1, pageSize: 2 },
      });
      expect(answer.body.errors).toBeUndefined();
    }
    const bot = await stack.query(PAYMENT, {
      user: 'learner1',
      headers: { 'apollographql-client-name': 'random-bot' },
    });
    expect(bot.body.errors).toBeUndefined();
    scrape = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
  });
  afterAll(() => stack.stop());

  it('counts each coordinate per listed client and version, once per request', () => {
    const mfe = { client: 'order-history-mfe', client_version: '1.4.0' };
    expect(promSample(scrape, USAGE, { ...mfe, coordinate: 'Order.total' })).toBe(2);
    expect(promSample(scrape, USAGE, { ...mfe, coordinate: 'Query.orderHistory(pageSize:)' })).toBe(2);
    expect(promSample(scrape, USAGE, { ...mfe, coordinate: 'CourseRun.title' })).toBe(2);
    expect(promSample(scrape, USAGE, { ...mfe, coordinate: 'Order.paymentMethod' })).toBeUndefined();
  });

  it('folds a client nobody listed into other, and counts no introspection', () => {
    expect(promSample(scrape, USAGE, { client: 'other', coordinate: 'Order.paymentMethod' })).toBe(1);
    expect(scrape).not.toContain('random-bot');
    expect(scrape).not.toMatch(/coordinate="[^"]*__/);
  });

  it('keeps a client to a bounded number of versions', async () => {
    const query = '{ courseRun(key: "course-v1:edX+DemoX+Demo_Course") { key } }';
    for (let v = 0; v <= MAX_VERSIONS_PER_CLIENT; v++) {
      await stack.query(query, {
        user: 'learner1',
        headers: { 'apollographql-client-name': 'admin-mfe', 'apollographql-client-version': `2.0.${v}` },
      });
    }
    const text = await (await fetch(`${stack.adminUrls.gateway}/metrics`)).text();
    const versions = new Set(
      [
        ...text.matchAll(
          /switchyard_field_usage_total\{[^}]*client="admin-mfe"[^}]*client_version="([^"]+)"[^}]*coordinate="Query.courseRun"/g,
        ),
      ].map((m) => m[1]),
    );
    expect(versions.size).toBe(MAX_VERSIONS_PER_CLIENT + 1);
    expect(versions.has('other')).toBe(true);
    expect(versions.has(`2.0.${MAX_VERSIONS_PER_CLIENT}`)).toBe(false);
  });

  it('shows up in the report read from a scrape: removing a field only usage knows about fails', async () => {
    const file = join(dir, 'scrape.txt');
    writeFileSync(file, scrape);
    const report = await runSchemaCheck({
      subgraph: 'orders',
      sdl: REMOVED_PAYMENT,
      sdlFile: 'orders.graphql',
      ...readRegisteredOperations(join(ROOT, 'persisted-queries')),
      usage: usageFromFile(file),
    });
    expect(report).toMatchObject({ outcome: 'breaking', exitCode: 1 });
    expect(report.operations.broken).toEqual([]);
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        coordinate: 'Order.paymentMethod',
        verdict: 'breaks-clients',
        usage: [{ client: 'other', coordinate: 'Order.paymentMethod', count: 1 }],
      }),
    );
  });

  describe('read from Prometheus HTTP API', () => {
    let prometheus: Server;
    let prometheusUrl: string;
    const queries: string[] = [];
    beforeAll(async () => {
      // Answers what Prometheus would after scraping this gateway: the scrape's figures as a vector.
      const entries = usageFromFile(join(dir, 'scrape.txt')).entries;
      prometheus = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== '/api/v1/query') return void res.writeHead(404).end();
        queries.push(url.searchParams.get('query') ?? '');
        const result = entries.map((e) => ({
          metric: { client: e.client, coordinate: e.coordinate },
          value: [1765000000, String(e.count)],
        }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
      });
      prometheusUrl = await listen(prometheus, 0, '127.0.0.1');
    });
    afterAll(() => close(prometheus, 500));

    it('fails the removal naming the client, over the window asked for', async () => {
      const sdl = join(dir, 'removed.graphql');
      writeFileSync(sdl, REMOVED_PAYMENT);
      const run = await runScript('scripts/schemaCheck.js', [
        'orders',
        sdl,
        '--usage-prometheus',
        prometheusUrl,
        '--usage-window',
        '7d',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('client other asked for Order.paymentMethod 1 times (production usage)');
      expect(run.stdout).toContain(`usage from ${prometheusUrl} over 7d`);
      expect(queries).toContain('sum by (client, coordinate) (increase(switchyard_field_usage_total[7d]))');
    });

    it('exits 3 when Prometheus cannot be read, rather than pass without usage', async () => {
      const sdl = join(dir, 'removed.graphql');
      const run = await runScript('scripts/schemaCheck.js', [
        'orders',
        sdl,
        '--usage-prometheus',
        `${prometheusUrl}/nowhere`,
      ]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('answered 404');
    });
  });
});
