import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaDirectory } from '../../../schema/schemaDirectory';
import { runScript } from '../../helpers/runScript';

// `npm run compose` on a copy of schema/ (never the real one), with the example MFE's registered
// manifest (persisted-queries/order-history-mfe.json, which reads Order.total).
const COMMITTED = readFileSync(join(schemaDirectory(), 'supergraph.graphql'), 'utf8');

function schemaCopy(edit: (ordersSdl: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-compose-'));
  for (const file of ['catalog.graphql', 'supergraph.graphql'])
    copyFileSync(join(schemaDirectory(), file), join(dir, file));
  const orders = readFileSync(join(schemaDirectory(), 'orders.graphql'), 'utf8');
  const edited = edit(orders);
  writeFileSync(join(dir, 'orders.graphql'), edited);
  return dir;
}
const compose = (args: string[]) => runScript('scripts/compose.js', args);
const supergraphIn = (dir: string) => readFileSync(join(dir, 'supergraph.graphql'), 'utf8');

const renameTotal = (sdl: string) => sdl.replace(/\n  total: Money!/, '\n  amountPaid: Money!');
const hideTotal = (sdl: string) =>
  sdl
    .replace(/import: \[("@key")/, 'import: [$1, "@inaccessible"')
    .replace(/\n  total: Money!/, '\n  total: Money! @inaccessible');

describe('npm run compose', () => {
  it('writes the supergraph when no registered operation breaks', async () => {
    const dir = schemaCopy((sdl) => sdl.replace(/\n[^\n]*\n  paymentMethod: String/, ''));
    const run = await compose(['--schema-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote ${join(dir, 'supergraph.graphql')}`);
    expect(supergraphIn(dir)).not.toContain('paymentMethod');
  });

  it.each([
    ['renames', renameTotal],
    ['hides with @inaccessible', hideTotal],
  ])(
    'refuses a supergraph that %s a field the MFE uses, and leaves the file as it was',
    async (_name, edit) => {
      const dir = schemaCopy(edit);
      const run = await compose(['--schema-dir', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('refused to write');
      expect(run.stderr).toContain('client order-history-mfe, operation OrderHistory, field Order.total');
      expect(supergraphIn(dir)).toBe(COMMITTED);
    },
  );

  it('writes it with --force-breaking, saying what it breaks', async () => {
    const dir = schemaCopy(renameTotal);
    const run = await compose(['--force-breaking', '--schema-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      '--force-breaking: wrote a supergraph that breaks 1 registered operation(s)',
    );
    expect(run.stderr).toContain('client order-history-mfe, operation OrderHistory, field Order.total');
    expect(supergraphIn(dir)).toContain('amountPaid');
  });

  it('exits 3 on an argument it does not know', async () => {
    const run = await compose(['--force']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('compose: unexpected argument --force');
  });
});
