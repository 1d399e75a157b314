import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegisteredOperations } from '../../../scripts/schemaCheck/readRegisteredOperations';
import { runSchemaCheck, type SchemaCheckReport } from '../../../scripts/schemaCheck/runSchemaCheck';
import { schemaDirectory } from '../../../schema/schemaDirectory';
import { runScript } from '../../helpers/runScript';

// Against the real schema/ and the example MFE's registered manifest (persisted-queries/), so the test
// follows both: its edits are made to whatever orders.graphql holds today.
const ORDERS = readFileSync(join(schemaDirectory(), 'orders.graphql'), 'utf8');
const REGISTERED = readRegisteredOperations(join(schemaDirectory(), '..', 'persisted-queries'));
const dir = mkdtempSync(join(tmpdir(), 'switchyard-schema-check-'));

function edit(name: string, change: (sdl: string) => string): string {
  const edited = change(ORDERS);
  if (edited === ORDERS) throw new Error(`edit ${name} changed nothing`);
  return edited;
}
function file(name: string, sdl: string): string {
  const path = join(dir, `${name}.graphql`);
  writeFileSync(path, sdl);
  return path;
}

// The MFE's OrderHistory reads Order.total (examples/order-history-mfe/orderHistoryQuery.ts).
const RENAMED_TOTAL = edit('renamed', (sdl) => sdl.replace(/\n  total: Money!/, '\n  amountPaid: Money!'));
const ADDED_FIELD = edit('added', (sdl) =>
  sdl.replace(/\n  total: Money!/, '\n  total: Money!\n  currencyNote: String'),
);
// No manifest asks for Order.paymentMethod.
const REMOVED_UNUSED = edit('removed', (sdl) => sdl.replace(/\n[^\n]*\n  paymentMethod: String/, ''));
// Kept in the subgraph, hidden from clients: as gone as a deletion.
const HIDDEN_TOTAL = edit('hidden', (sdl) =>
  sdl
    .replace(/import: \[("@key")/, 'import: [$1, "@inaccessible"')
    .replace(/\n  total: Money!/, '\n  total: Money! @inaccessible'),
);
// CourseRun.key is ID! in catalog: a different type here does not compose.
const MISMATCHED_KEY = edit('mismatched', (sdl) =>
  sdl.replace(/(type CourseRun @key[^{]*\{[^}]*\n  key: )ID!/, '$1String!'),
);

const check = (
  sdl: string,
  extra: Partial<Parameters<typeof runSchemaCheck>[0]> = {},
): Promise<SchemaCheckReport> =>
  runSchemaCheck({ subgraph: 'orders', sdl, sdlFile: 'proposed/orders.graphql', ...REGISTERED, ...extra });

describe('schema:check (programmatic)', () => {
  it('registers the example MFE with its OrderHistory operation', () => {
    expect(REGISTERED.clients).toContain('order-history-mfe');
    expect(REGISTERED.operations).toContainEqual(
      expect.objectContaining({ client: 'order-history-mfe', name: 'OrderHistory' }),
    );
  });

  it('fails renaming Order.total, naming the client, the operation and the field', async () => {
    const report = await check(RENAMED_TOTAL);
    expect(report).toMatchObject({ outcome: 'breaking', exitCode: 1 });
    expect(report.operations.broken).toEqual([
      expect.objectContaining({
        client: 'order-history-mfe',
        operation: 'OrderHistory',
        coordinates: ['Order.total'],
      }),
    ]);
    expect(report.changes).toContainEqual(
      expect.objectContaining({
        coordinate: 'Order.total',
        level: 'breaking',
        verdict: 'breaks-clients',
        operations: [{ client: 'order-history-mfe', operation: 'OrderHistory' }],
      }),
    );
    expect(report.changes).toContainEqual(
      expect.objectContaining({ coordinate: 'Order.amountPaid', level: 'safe', type: 'FIELD_ADDED' }),
    );
  });

  it('passes adding a field', async () => {
    const report = await check(ADDED_FIELD);
    expect(report).toMatchObject({ outcome: 'pass', exitCode: 0 });
    expect(report.changes.map((c) => [c.coordinate, c.verdict])).toContainEqual([
      'Order.currencyNote',
      'safe',
    ]);
    expect(report.changes.every((c) => c.level !== 'breaking')).toBe(true);
  });

  it('passes removing a field no manifest uses, as breaking but safe for the known clients', async () => {
    const report = await check(REMOVED_UNUSED);
    expect(report).toMatchObject({ outcome: 'pass', exitCode: 0 });
    expect(report.changes).toEqual([
      expect.objectContaining({
        type: 'FIELD_REMOVED',
        coordinate: 'Order.paymentMethod',
        level: 'breaking',
        verdict: 'safe-for-known-clients',
      }),
    ]);
  });

  it('fails the same removal when production usage shows a client still asking for it', async () => {
    const usage = {
      source: 'test',
      window: '7d',
      entries: [
        { client: 'other', coordinate: 'Order.paymentMethod', count: 12 },
        { client: 'order-history-mfe', coordinate: 'Order.total', count: 40 },
      ],
    };
    const report = await check(REMOVED_UNUSED, { usage });
    expect(report).toMatchObject({ outcome: 'breaking', exitCode: 1 });
    expect(report.changes[0]).toMatchObject({
      verdict: 'breaks-clients',
      usage: [{ client: 'other', coordinate: 'Order.paymentMethod', count: 12 }],
    });
    // Below the threshold, the same figures do not count as use.
    expect(await check(REMOVED_UNUSED, { usage, minCount: 13 })).toMatchObject({ exitCode: 0 });
  });

  it('fails hiding Order.total with @inaccessible just as removing it', async () => {
    const report = await check(HIDDEN_TOTAL);
    expect(report).toMatchObject({ outcome: 'breaking', exitCode: 1 });
    expect(report.operations.broken).toEqual([
      expect.objectContaining({
        client: 'order-history-mfe',
        operation: 'OrderHistory',
        coordinates: ['Order.total'],
      }),
    ]);
  });

  it('fails a change that does not compose with composition own message and locations', async () => {
    const report = await check(MISMATCHED_KEY);
    expect(report).toMatchObject({ outcome: 'composition-failed', exitCode: 2, changes: [] });
    expect(report.composition.problems).toContainEqual(
      expect.objectContaining({
        code: 'FIELD_TYPE_MISMATCH',
        message: expect.stringContaining('Type of field "CourseRun.key" is incompatible across subgraphs'),
        locations: expect.arrayContaining([expect.objectContaining({ file: 'proposed/orders.graphql' })]),
      }),
    );
  });

  it('reports SDL that does not parse as a composition failure at its line', async () => {
    const report = await check('type Query {');
    expect(report.exitCode).toBe(2);
    expect(report.composition.problems[0]).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
      locations: [{ file: 'proposed/orders.graphql', line: 1, column: 13 }],
    });
  });

  it('refuses an unknown subgraph', async () => {
    await expect(
      runSchemaCheck({ subgraph: 'billing', sdl: ORDERS, sdlFile: 'x', ...REGISTERED }),
    ).rejects.toThrow('unknown subgraph "billing": one of orders, catalog');
  });
});

describe('npm run schema:check (the CLI)', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runScript('scripts/schemaCheck.js', args, env);

  it('exits 1 on the renamed field, naming client, operation and field in every format', async () => {
    const path = file('renamed', RENAMED_TOTAL);
    const text = await cli(['orders', path]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL: breaks a known client');
    expect(text.stdout).toContain(
      'BROKEN client order-history-mfe, operation OrderHistory, field Order.total',
    );
    const markdown = await cli(['orders', path, '--format', 'markdown']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(/^### ❌ Schema check `orders`/);
    expect(markdown.stdout).toContain('| order-history-mfe | OrderHistory | `Order.total` |');
    const json = await cli(['orders', path, '--format=json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ outcome: 'breaking', exitCode: 1 });
  });

  it('exits 0 adding a field, and removing one nobody uses', async () => {
    const added = await cli(['orders', file('added', ADDED_FIELD)]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("[safe] Field 'currencyNote' was added to object type 'Order'");
    const removed = await cli(['orders', file('removed', REMOVED_UNUSED)]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("[breaking, safe for known clients] Field 'paymentMethod' was removed");
  });

  it('exits 2 when composition fails, with its message', async () => {
    const run = await cli(['orders', file('mismatched', MISMATCHED_KEY)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('FAIL: does not compose');
    expect(run.stdout).toContain(
      'composition FIELD_TYPE_MISMATCH: Type of field "CourseRun.key" is incompatible',
    );
  });

  it.each([
    ['no arguments', [], 'expected <subgraph> <sdl-file>, got 0 arguments'],
    ['an unreadable SDL file', ['billing', 'x.graphql'], 'cannot read the SDL file x.graphql'],
    ['an unknown option', ['orders', 'x', '--colour'], 'unknown option --colour'],
    ['a bad format', ['orders', 'x', '--format', 'yaml'], '--format must be text, markdown or json'],
    [
      'a missing manifests directory',
      ['orders', '__SDL__', '--manifests', '/nonexistent'],
      '--manifests: cannot read the directory /nonexistent',
    ],
  ])('exits 3 on %s with a clear message', async (_name, args, message) => {
    const path = file('ok', ORDERS);
    const run = await cli(args.map((a) => (a === '__SDL__' ? path : a)));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(message);
  });

  it('exits 3 naming the subgraph when it is unknown', async () => {
    const run = await cli(['billing', file('billing', ORDERS)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('unknown subgraph "billing"');
  });

  it('reads the registered manifests from PERSISTED_QUERY_MANIFESTS_DIR', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'switchyard-no-manifests-'));
    const run = await cli(['orders', file('renamed2', RENAMED_TOTAL)], {
      PERSISTED_QUERY_MANIFESTS_DIR: empty,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 operations of 0 clients (none registered)');
  });
});
