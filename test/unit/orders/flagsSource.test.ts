import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';
import { configError } from '../../helpers/configError';

const LEGACY = { LEGACY_ECOMMERCE_URL: 'http://legacy.example.org' };
const FILE = '/etc/switchyard/flags/orders-flags.json';

describe('ORDERS_FLAGS_PROVIDER / ORDERS_FLAGS_FILE', () => {
  it('defaults to the environment, and to the file when one is named', () => {
    expect(parseOrdersConfig(LEGACY).flags).toEqual({ kind: 'env' });
    expect(parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_FILE: FILE }).flags).toEqual({
      kind: 'file',
      path: FILE,
    });
    expect(parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_PROVIDER: 'flagd' }).flags).toEqual({ kind: 'flagd' });
  });

  it.each([
    ['ORDERS_ROLLOUT_BACKEND', 'vendor'],
    ['ORDERS_ROLLOUT_PERCENT', '5'],
    ['ORDERS_SHADOW_BACKEND', 'vendor'],
    ['ORDERS_SHADOW_SAMPLE_RATE', '0.5'],
  ])('refuses %s with a flag file, naming both', (name, value) => {
    const message = configError(() =>
      parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_FILE: FILE, [name]: value }),
    );
    expect(message).toContain(`${name}="${value}": cannot be set with ORDERS_FLAGS_FILE`);
  });

  it('refuses the rollout variables with a flagd daemon too', () => {
    const message = configError(() =>
      parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_PROVIDER: 'flagd', ORDERS_ROLLOUT_PERCENT: '5' }),
    );
    expect(message).toContain('ORDERS_ROLLOUT_PERCENT="5": cannot be set with ORDERS_FLAGS_PROVIDER=flagd');
  });

  it('names the variable for a provider it does not know, a file provider without a file, a file it would not read', () => {
    expect(
      configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_PROVIDER: 'launchdarkly' })),
    ).toContain('ORDERS_FLAGS_PROVIDER="launchdarkly": must be one of: env, file, flagd');
    expect(configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_PROVIDER: 'file' }))).toContain(
      'ORDERS_FLAGS_FILE="": required when ORDERS_FLAGS_PROVIDER=file',
    );
    expect(
      configError(() =>
        parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_PROVIDER: 'flagd', ORDERS_FLAGS_FILE: FILE }),
      ),
    ).toContain(`ORDERS_FLAGS_FILE="${FILE}": only read when ORDERS_FLAGS_PROVIDER=file (it is flagd)`);
  });

  it('bounds the wait for the flags of one read: 100 ms unless ORDERS_FLAGS_TIMEOUT_MS says otherwise', () => {
    expect(parseOrdersConfig(LEGACY).flagsTimeoutMs).toBe(100);
    expect(parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_TIMEOUT_MS: '250' }).flagsTimeoutMs).toBe(250);
    for (const bad of ['0', '10001', 'soon']) {
      expect(configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_FLAGS_TIMEOUT_MS: bad }))).toContain(
        `ORDERS_FLAGS_TIMEOUT_MS="${bad}"`,
      );
    }
  });

  it("keeps the shadow's deadline and cap, which the flags do not decide, and needs no vendor", () => {
    const config = parseOrdersConfig({
      ...LEGACY,
      ORDERS_FLAGS_FILE: FILE,
      ORDERS_SHADOW_TIMEOUT_MS: '750',
      ORDERS_SHADOW_MAX_CONCURRENT: '2',
    });
    expect(config).toMatchObject({
      rollout: null,
      shadow: null,
      vendor: null,
      shadowLimits: { timeoutMs: 750, maxConcurrent: 2 },
    });
  });
});
