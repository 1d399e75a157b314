import { isConfigError } from '../../../platform/config/ConfigError';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';

const LEGACY = { LEGACY_ECOMMERCE_URL: 'http://legacy.example.org' };
const VENDOR = {
  VENDOR_API_URL: 'https://api.example.org',
  VENDOR_AUTH_URL: 'https://auth.example.org',
  VENDOR_PROJECT_KEY: 'edx-prod',
  VENDOR_CLIENT_ID: 'orders',
  VENDOR_CLIENT_SECRET: 's3cret',
  VENDOR_RECEIPT_BASE_URL: 'https://orders.example.org/receipt/',
};

function configError(env: Record<string, string>): string {
  try {
    parseOrdersConfig(env);
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ORDERS_ROLLOUT_*', () => {
  it('is off by default, and so is the shadow', () => {
    expect(parseOrdersConfig(LEGACY)).toMatchObject({ rollout: null, shadow: null });
  });

  it.each([
    ['0', 0],
    ['12.5', 1250],
    ['0.01', 1],
    ['100', 10_000],
  ])('reads ORDERS_ROLLOUT_PERCENT=%s as %i basis points', (percent, basisPoints) => {
    const config = parseOrdersConfig({
      ...LEGACY,
      ...VENDOR,
      ORDERS_ROLLOUT_BACKEND: 'vendor',
      ORDERS_ROLLOUT_PERCENT: percent,
    });
    expect(config.rollout).toEqual({ mode: 'vendor', basisPoints });
  });

  it.each(['-1', '100.5', 'ten', '0.001'])('stops start-up on ORDERS_ROLLOUT_PERCENT=%s', (percent) => {
    const message = configError({
      ...LEGACY,
      ...VENDOR,
      ORDERS_ROLLOUT_BACKEND: 'vendor',
      ORDERS_ROLLOUT_PERCENT: percent,
    });
    expect(message).toContain(`ORDERS_ROLLOUT_PERCENT="${percent}"`);
  });

  it('names the variable and the allowed modes for a bad ORDERS_ROLLOUT_BACKEND', () => {
    const message = configError({
      ...LEGACY,
      ORDERS_ROLLOUT_BACKEND: 'commercetools',
      ORDERS_ROLLOUT_PERCENT: '5',
    });
    expect(message).toContain('ORDERS_ROLLOUT_BACKEND="commercetools"');
    expect(message).toContain('legacy, vendor, merged');
  });

  it('refuses a percentage without a backend, and a backend without a percentage', () => {
    expect(configError({ ...LEGACY, ORDERS_ROLLOUT_PERCENT: '10' })).toMatch(
      /ORDERS_ROLLOUT_PERCENT="10": needs ORDERS_ROLLOUT_BACKEND \(one of: legacy, vendor, merged\)/,
    );
    expect(configError({ ...LEGACY, ...VENDOR, ORDERS_ROLLOUT_BACKEND: 'vendor' })).toContain(
      'ORDERS_ROLLOUT_PERCENT="": required when ORDERS_ROLLOUT_BACKEND is set',
    );
  });

  it('refuses a rollout to the mode everyone already has', () => {
    expect(
      configError({ ...LEGACY, ORDERS_ROLLOUT_BACKEND: 'legacy', ORDERS_ROLLOUT_PERCENT: '5' }),
    ).toContain('ORDERS_ROLLOUT_BACKEND="legacy": must differ from ORDERS_BACKEND (legacy)');
  });

  it('requires the vendor configuration when the rollout reads the vendor, saying why', () => {
    const message = configError({ ...LEGACY, ORDERS_ROLLOUT_BACKEND: 'merged', ORDERS_ROLLOUT_PERCENT: '5' });
    expect(message).toContain('VENDOR_API_URL=""');
    expect(message).toContain('when ORDERS_ROLLOUT_BACKEND=merged');
  });
});

describe('ORDERS_SHADOW_*', () => {
  it('defaults the sample rate, deadline and cap once a shadow backend is named', () => {
    const config = parseOrdersConfig({ ...LEGACY, ...VENDOR, ORDERS_SHADOW_BACKEND: 'vendor' });
    expect(config.shadow).toEqual({ mode: 'vendor', sampleRate: 0.05, timeoutMs: 3000, maxConcurrent: 8 });
  });

  it('reads every setting', () => {
    const config = parseOrdersConfig({
      ...LEGACY,
      ...VENDOR,
      ORDERS_BACKEND: 'vendor',
      ORDERS_SHADOW_BACKEND: 'legacy',
      ORDERS_SHADOW_SAMPLE_RATE: '1',
      ORDERS_SHADOW_TIMEOUT_MS: '750',
      ORDERS_SHADOW_MAX_CONCURRENT: '2',
    });
    expect(config.shadow).toEqual({ mode: 'legacy', sampleRate: 1, timeoutMs: 750, maxConcurrent: 2 });
  });

  it.each([
    ['ORDERS_SHADOW_SAMPLE_RATE', '1.5'],
    ['ORDERS_SHADOW_SAMPLE_RATE', 'all'],
    ['ORDERS_SHADOW_TIMEOUT_MS', '0'],
    ['ORDERS_SHADOW_MAX_CONCURRENT', '2.5'],
  ])('stops start-up on %s=%s', (name, value) => {
    const message = configError({ ...LEGACY, ...VENDOR, ORDERS_SHADOW_BACKEND: 'vendor', [name]: value });
    expect(message).toContain(`${name}="${value}"`);
  });

  it.each(['ORDERS_SHADOW_SAMPLE_RATE', 'ORDERS_SHADOW_TIMEOUT_MS', 'ORDERS_SHADOW_MAX_CONCURRENT'])(
    'refuses %s without ORDERS_SHADOW_BACKEND',
    (name) => {
      expect(configError({ ...LEGACY, [name]: '1' })).toContain(`${name}="1": needs ORDERS_SHADOW_BACKEND`);
    },
  );

  it('refuses shadowing the mode that serves everyone, and needs the vendor to shadow it', () => {
    expect(configError({ ...LEGACY, ORDERS_SHADOW_BACKEND: 'legacy' })).toContain(
      'ORDERS_SHADOW_BACKEND="legacy": must differ from ORDERS_BACKEND (legacy)',
    );
    expect(configError({ ...LEGACY, ORDERS_SHADOW_BACKEND: 'vendor' })).toContain(
      'when ORDERS_SHADOW_BACKEND=vendor',
    );
  });

  it('reports every layer problem at once', () => {
    const message = configError({ ...LEGACY, ORDERS_ROLLOUT_PERCENT: '5', ORDERS_SHADOW_SAMPLE_RATE: '0.5' });
    expect(message).toContain('ORDERS_ROLLOUT_PERCENT="5"');
    expect(message).toContain('ORDERS_SHADOW_SAMPLE_RATE="0.5"');
  });
});
