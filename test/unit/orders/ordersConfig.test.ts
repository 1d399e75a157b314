import { configError } from '../../helpers/configError';
import { parseOrdersConfig } from '../../../subgraphs/orders/ordersConfig';

const LEGACY = { LEGACY_ECOMMERCE_URL: 'http://legacy.example.org' };
const VENDOR = {
  VENDOR_API_URL: 'https://api.example.org/',
  VENDOR_AUTH_URL: 'https://auth.example.org',
  VENDOR_PROJECT_KEY: 'edx-prod',
  VENDOR_CLIENT_ID: 'orders',
  VENDOR_CLIENT_SECRET: 's3cret',
};

describe('ORDERS_BACKEND and the vendor configuration', () => {
  it('stops start-up on an unknown mode, naming the variable and the allowed values', () => {
    const message = configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_BACKEND: 'shadow' }));
    expect(message).toContain('ORDERS_BACKEND="shadow"');
    expect(message).toContain('legacy, vendor, merged');
  });

  it.each(['vendor', 'merged'])('requires every vendor variable in %s mode, naming each', (mode) => {
    const message = configError(() =>
      parseOrdersConfig({ ...LEGACY, ORDERS_BACKEND: mode, VENDOR_API_URL: VENDOR.VENDOR_API_URL }),
    );
    for (const name of [
      'VENDOR_AUTH_URL',
      'VENDOR_PROJECT_KEY',
      'VENDOR_CLIENT_ID',
      'VENDOR_CLIENT_SECRET',
    ]) {
      expect(message).toContain(`${name}=""`);
    }
    expect(message).toContain(`when ORDERS_BACKEND=${mode}`);
    expect(message).not.toContain('VENDOR_API_URL=');
  });

  it('lets legacy mode run without a vendor, and refuses half a vendor configuration there too', () => {
    expect(parseOrdersConfig(LEGACY).vendor).toBeNull();
    expect(configError(() => parseOrdersConfig({ ...LEGACY, VENDOR_CLIENT_ID: 'x' }))).toContain(
      'VENDOR_API_URL=""',
    );
  });

  it('builds the vendor upstreams, with the receipt page defaulting under the API URL', () => {
    const config = parseOrdersConfig({
      ...LEGACY,
      ...VENDOR,
      ORDERS_BACKEND: 'merged',
      VENDOR_API_TIMEOUT_MS: '900',
    });
    expect(config.backend).toBe('merged');
    expect(config.vendor).toMatchObject({
      api: { name: 'vendor-commerce', baseUrl: 'https://api.example.org', timeoutMs: 900 },
      auth: { name: 'vendor-auth', baseUrl: 'https://auth.example.org' },
      projectKey: 'edx-prod',
      receiptBaseUrl: 'https://api.example.org/receipt/',
    });
    const custom = parseOrdersConfig({
      ...LEGACY,
      ...VENDOR,
      VENDOR_RECEIPT_BASE_URL: 'https://r.example.org/',
    });
    expect(custom.vendor?.receiptBaseUrl).toBe('https://r.example.org/');
  });

  it('routes by ORDERS_LEGACY_NUMBER_PATTERN, EDX- plus up to six digits by default', () => {
    const { legacyNumberPattern } = parseOrdersConfig(LEGACY);
    expect(['EDX-100042', 'EDX-1'].every((n) => legacyNumberPattern.test(n))).toBe(true);
    expect(['2U-000001', 'EDX-1000001', 'xEDX-1'].some((n) => legacyNumberPattern.test(n))).toBe(false);
    const message = configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_LEGACY_NUMBER_PATTERN: '(' }));
    expect(message).toContain('ORDERS_LEGACY_NUMBER_PATTERN="("');
  });
});
