import { silentLogger } from '../../../platform/createLogger';
import type { Env } from '../../../platform/config/parseEnv';
import { runCompare } from '../../../scripts/compare/runCompare';
import { startTwinSimulators, type TwinSimulators } from '../../helpers/startTwinSimulators';

async function compare(argv: string[], env: Env) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCompare(
    argv,
    env,
    { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    silentLogger(),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run compare', () => {
  let twins: TwinSimulators | undefined;
  afterEach(async () => {
    await twins?.close();
    twins = undefined;
  });

  it('exits 0 and says so when every page of every user is identical', async () => {
    twins = await startTwinSimulators(['learner1', 'learner3']);
    const { code, out, err } = await compare(['learner1', 'learner3'], twins.env);
    expect(err).toBe('');
    // learner3 has 200 orders: two full pages of 100 on each side.
    expect(out).toContain('learner1: legacy 45 orders, vendor 45 orders — identical');
    expect(out).toContain('learner3: legacy 200 orders, vendor 200 orders — identical');
    expect(out).toContain('2 user(s): 2 identical, 0 different, 0 not compared');
    expect(code).toBe(0);
  });

  it('exits 1 with per-field counts, examples and the orders missing on either side', async () => {
    twins = await startTwinSimulators(['learner3'], (orders) => {
      orders[150]!.status = orders[150]!.status === 'Complete' ? 'Open' : 'Complete';
      orders[160]!.lines[0]!.unitPriceMinor += 1;
      const dropped = orders.splice(170, 1);
      expect(dropped).toHaveLength(1);
      return orders;
    });
    const { code, out } = await compare(['learner3'], twins.env);
    const [changed, repriced, dropped] = [twins.orders[150]!, twins.orders[160]!, twins.orders[170]!];
    expect(out).toContain('learner3: legacy 200 orders, vendor 199 orders — DIFFERENT');
    expect(out).toContain('matched 197, differing 2, only in legacy 1, only in vendor 0');
    expect(out).toContain('field mismatches: status 1, total 1, lines.unitPrice 1, lines.linePrice 1');
    expect(out).toMatch(new RegExp(`${changed.number} status: legacy "\\w+" vs vendor "\\w+"`));
    expect(out).toContain(`${repriced.number} total:`);
    expect(out).toContain(`only in legacy: ${dropped.number}`);
    expect(code).toBe(1);
  });

  it.each([
    [[], 'No usernames given.'],
    [['--primary', 'vendor', '--shadow', 'vendor', 'learner1'], '--primary and --shadow are both vendor.'],
    [['--shadow', 'commercetools', 'learner1'], 'Unknown mode "commercetools"'],
    [['--verbose', 'learner1'], "Unknown option '--verbose'"],
  ])('exits 2 on bad usage %j, saying what is wrong and how to call it', async (argv, message) => {
    const { code, err } = await compare(argv, { LEGACY_ECOMMERCE_URL: 'http://127.0.0.1:9' });
    expect(err).toContain(message);
    expect(err).toContain('usage: npm run compare --');
    expect(code).toBe(2);
  });

  it('exits 2 naming what is missing when the configuration cannot compare', async () => {
    const noLegacy = await compare(['learner1'], {});
    expect(noLegacy).toMatchObject({ code: 2, err: expect.stringContaining('LEGACY_ECOMMERCE_URL=""') });
    const noVendor = await compare(['learner1'], { LEGACY_ECOMMERCE_URL: 'http://127.0.0.1:9' });
    expect(noVendor).toMatchObject({ code: 2, err: expect.stringContaining('set VENDOR_API_URL') });
  });

  it('exits 2 when an upstream cannot be read, naming the user and the error code', async () => {
    twins = await startTwinSimulators(['learner1']);
    twins.vendor.setFaults({ errorRate: 1 });
    const { code, err } = await compare(['learner1'], { ...twins.env, VENDOR_AUTH_RETRIES: '0' });
    expect(err).toMatch(/^learner1: could not read both histories: UPSTREAM_ERROR/);
    expect(code).toBe(2);
  });
});
