import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSupergraph } from '../../../gateway/composeSupergraph';
import { createGateway, type Gateway } from '../../../gateway/createGateway';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { sha256Hex } from '../../../gateway/safelist/PersistedQueryManifest';
import { supergraphProblem } from '../../../gateway/supergraph/checkSupergraph';
import { silentLogger } from '../../../platform/createLogger';
import { close, listen } from '../../../platform/http/listen';
import { schemaDirectory } from '../../../schema/schemaDirectory';
import { spawnComponent } from '../../helpers/spawnComponent';
import { startTestStack, type TestStack } from '../../helpers/startTestStack';

// Supergraph variants composed from the current subgraph SDL, so the test follows the schema.
const dir = mkdtempSync(join(tmpdir(), 'switchyard-supergraph-'));
function variant(name: string, edit: (ordersSdl: string) => string): string {
  const schemas = join(dir, name);
  mkdirSync(schemas);
  copyFileSync(join(schemaDirectory(), 'catalog.graphql'), join(schemas, 'catalog.graphql'));
  const orders = readFileSync(join(schemaDirectory(), 'orders.graphql'), 'utf8');
  const edited = edit(orders);
  if (edited === orders) throw new Error(`variant ${name} changed nothing`);
  writeFileSync(join(schemas, 'orders.graphql'), edited);
  return composeSupergraph(schemas);
}
const ORIGINAL = composeSupergraph();
// paymentMethod deprecated: visible by introspection, nothing else changes.
const DEPRECATED = variant('deprecated', (sdl) =>
  sdl.replace(/paymentMethod: String/, 'paymentMethod: String @deprecated(reason: "reload test")'),
);
// paymentMethod gone (renamed): a query asking for it no longer validates.
const DROPPED = variant('dropped', (sdl) =>
  sdl.replace(/paymentMethod: String/, 'paymentMethodGone: String'),
);
// paymentMethod kept in the subgraph but hidden from clients: gone for every client all the same.
const HIDDEN = variant('hidden', (sdl) =>
  sdl
    .replace(/import: \[("@key")/, 'import: [$1, "@inaccessible"')
    .replace(/paymentMethod: String/, 'paymentMethod: String @inaccessible'),
);

const DEPRECATION = '{ __type(name: "Order") { fields(includeDeprecated: true) { name isDeprecated } } }';
const PAYMENT = 'query Payment { order(number: "EDX-100001") { number paymentMethod } }';

async function isDeprecated(url: string): Promise<boolean> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DEPRECATION }),
  });
  const body = (await response.json()) as {
    data: { __type: { fields: { name: string; isDeprecated: boolean }[] } };
  };
  return body.data.__type.fields.find((f) => f.name === 'paymentMethod')!.isDeprecated;
}

describe('supergraph reloads without a restart', () => {
  let stack: TestStack;
  let gateway: Gateway;
  let url: string;
  let adminUrl: string;
  let file: string;
  const manifestPath = join(dir, 'manifest.json');

  beforeAll(async () => {
    stack = await startTestStack();
    writeFileSync(
      manifestPath,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256Hex(PAYMENT), name: 'Payment', type: 'query', body: PAYMENT }],
      }),
    );
  });
  afterAll(() => stack.stop());

  async function startGateway(env: Record<string, string> = {}): Promise<void> {
    file = join(dir, `supergraph-${Date.now()}-${Math.random()}.graphql`);
    writeFileSync(file, ORIGINAL);
    const config = parseGatewayConfig({
      ORDERS_SUBGRAPH_URL: `${stack.ordersUrl}/graphql`,
      CATALOG_SUBGRAPH_URL: `${stack.catalogUrl}/graphql`,
      SUBGRAPH_SHARED_SECRET: stack.subgraphSecret,
      SUPERGRAPH_PATH: file,
      SUPERGRAPH_WATCH_INTERVAL_MS: '0',
      ...env,
    });
    gateway = await createGateway(config, { logger: silentLogger() });
    url = await listen(gateway.httpServer, 0);
    adminUrl = await listen(gateway.adminServer, 0);
  }
  afterEach(async () => {
    await close(gateway.adminServer, 500);
    await close(gateway.httpServer, 500);
    await gateway.stop();
  });

  it('applies a changed file, and says unchanged when nothing changed', async () => {
    await startGateway();
    expect(await gateway.reloadSupergraph()).toBe('unchanged');
    expect(await isDeprecated(url)).toBe(false);
    writeFileSync(file, DEPRECATED);
    expect(await gateway.reloadSupergraph()).toBe('applied');
    expect(await isDeprecated(url)).toBe(true);
    writeFileSync(file, 'type Query {');
    expect(await gateway.reloadSupergraph()).toBe('refused');
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    for (const [outcome, count] of [
      ['unchanged', 1],
      ['applied', 1],
      ['refused', 1],
    ] as const) {
      expect(metrics).toMatch(
        new RegExp(`switchyard_supergraph_reloads_total\\{[^}]*outcome="${outcome}"[^}]*\\} ${count}\\n`),
      );
    }
  });

  it.each([
    ['does not parse', 'type Query {'],
    ['is empty', ''],
  ])('refuses a file that %s and keeps serving the old supergraph', async (_name, text) => {
    await startGateway();
    writeFileSync(file, text);
    expect(await gateway.reloadSupergraph()).toBe('refused');
    const answer = await stack.query<{ orderHistory: { count: number } }>('{ orderHistory { count } }', {
      user: 'learner1',
      url: `${url}/graphql`,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.orderHistory.count).toBeGreaterThan(0);
  });

  it('refuses a supergraph that drops a field the safelist uses', async () => {
    await startGateway({ PERSISTED_QUERIES: 'require', PERSISTED_QUERIES_MANIFEST: manifestPath });
    writeFileSync(file, DROPPED);
    expect(await gateway.reloadSupergraph()).toBe('refused');
    const answer = await stack.query<{ order: { paymentMethod: string | null } }>(PAYMENT, {
      user: 'learner1',
      url: `${url}/graphql`,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.order).toMatchObject({ number: 'EDX-100001' });
  });

  it('refuses a supergraph that hides a safelisted field with @inaccessible, and keeps answering it', async () => {
    await startGateway({ PERSISTED_QUERIES: 'require', PERSISTED_QUERIES_MANIFEST: manifestPath });
    // The field is still in the candidate supergraph: only its API schema lacks it.
    expect(HIDDEN).toMatch(/paymentMethod: String.*@inaccessible/);
    writeFileSync(file, HIDDEN);
    expect(await gateway.reloadSupergraph()).toBe('refused');
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_supergraph_reloads_total\{[^}]*outcome="refused"[^}]*\} 1\n/);
    const answer = await stack.query<{ order: { paymentMethod: string | null } }>(PAYMENT, {
      user: 'learner1',
      url: `${url}/graphql`,
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.order).toMatchObject({ number: 'EDX-100001' });
  });

  it('applies the same drop when no safelist needs the field', async () => {
    await startGateway();
    writeFileSync(file, DROPPED);
    expect(await gateway.reloadSupergraph()).toBe('applied');
    const answer = await stack.query(PAYMENT, { user: 'learner1', url: `${url}/graphql` });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('swaps back and forth under load with zero failed requests', async () => {
    await startGateway();
    const token = stack.token('learner1');
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
          body: JSON.stringify({
            query: '{ orderHistory(pageSize: 5) { count orders { number paymentMethod } } }',
          }),
        });
        const body = (await response.json()) as { errors?: unknown[] };
        if (response.status !== 200 || body.errors)
          failures.push(`${response.status} ${JSON.stringify(body.errors)}`);
        else ok++;
      }
    };
    const clients = Array.from({ length: 4 }, client);
    for (const sdl of [DEPRECATED, ORIGINAL, DEPRECATED, ORIGINAL]) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(file, sdl);
      expect(await gateway.reloadSupergraph()).toBe('applied');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(10);
  });

  it('notices a changed file by itself (SUPERGRAPH_WATCH_INTERVAL_MS)', async () => {
    await startGateway({ SUPERGRAPH_WATCH_INTERVAL_MS: '20' });
    writeFileSync(file, DEPRECATED);
    const deadline = Date.now() + 5000;
    while (!(await isDeprecated(url))) {
      if (Date.now() > deadline) throw new Error('the watcher never applied the changed file');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
});

describe('supergraph checks', () => {
  it('refuses a supergraph naming a subgraph the gateway has no URL for', async () => {
    expect(await supergraphProblem(ORIGINAL, { subgraphs: ['orders'], manifest: null })).toBe(
      'names subgraphs with no configured URL: catalog',
    );
    expect(
      await supergraphProblem(ORIGINAL, { subgraphs: ['orders', 'catalog'], manifest: null }),
    ).toBeNull();
  });

  it('stops start-up on an unreadable SUPERGRAPH_PATH', async () => {
    const config = parseGatewayConfig({ SUPERGRAPH_PATH: join(dir, 'missing.graphql') });
    await expect(createGateway(config, { logger: silentLogger() })).rejects.toThrow(
      'SUPERGRAPH_PATH: cannot read',
    );
  });
});

describe('SIGHUP', () => {
  it('reloads the supergraph of a running gateway process', async () => {
    const file = join(dir, 'sighup.graphql');
    writeFileSync(file, ORIGINAL);
    const gateway = spawnComponent('gateway/main.js', {
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: file,
      SUPERGRAPH_WATCH_INTERVAL_MS: '0',
    });
    try {
      await gateway.waitFor('gateway listening');
      writeFileSync(file, DEPRECATED);
      gateway.process.kill('SIGHUP');
      const line = await gateway.waitFor('supergraph reloaded');
      expect(line).toMatchObject({ path: file });
      writeFileSync(file, 'not a supergraph');
      gateway.process.kill('SIGHUP');
      expect(await gateway.waitFor('supergraph reload refused')).toMatchObject({
        problem: expect.stringContaining('does not build'),
      });
    } finally {
      await gateway.kill();
    }
  });
});
