import { configError } from '../../helpers/configError';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';

const LEGACY = { LEGACY_ECOMMERCE_URL: 'http://legacy.example.org' };
const VENDOR = {
  VENDOR_API_URL: 'https://api.example.org/',
  VENDOR_AUTH_URL: 'https://auth.example.org',
  VENDOR_PROJECT_KEY: 'edx-prod',
  VENDOR_CLIENT_ID: 'orders',
  VENDOR_CLIENT_SECRET: 's3cret',
  VENDOR_RECEIPT_BASE_URL: 'https://orders.example.org/receipt/',
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
      'VENDOR_RECEIPT_BASE_URL',
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

  // commercetools has no receipt page, so there is nothing to default to (docs/reference/vendor-commercetools.md).
  it.each(['vendor', 'merged'])(
    'stops start-up in %s mode without VENDOR_RECEIPT_BASE_URL, naming it: the vendor has no receipt page',
    (mode) => {
      const { VENDOR_RECEIPT_BASE_URL: _omitted, ...rest } = VENDOR;
      const message = configError(() => parseOrdersConfig({ ...LEGACY, ...rest, ORDERS_BACKEND: mode }));
      expect(message).toContain(`VENDOR_RECEIPT_BASE_URL="": required when ORDERS_BACKEND=${mode}`);
      expect(message).not.toContain('VENDOR_API_URL=');
    },
  );

  it('requires VENDOR_RECEIPT_BASE_URL when a rollout or shadow reads the vendor, and with any vendor config', () => {
    const { VENDOR_RECEIPT_BASE_URL: _omitted, ...rest } = VENDOR;
    const rollout = { ORDERS_ROLLOUT_BACKEND: 'vendor', ORDERS_ROLLOUT_PERCENT: '5' };
    expect(configError(() => parseOrdersConfig({ ...LEGACY, ...rest, ...rollout }))).toContain(
      'VENDOR_RECEIPT_BASE_URL="": required when ORDERS_ROLLOUT_BACKEND=vendor',
    );
    expect(
      configError(() => parseOrdersConfig({ ...LEGACY, ...rest, ORDERS_SHADOW_BACKEND: 'merged' })),
    ).toContain('VENDOR_RECEIPT_BASE_URL="": required when ORDERS_SHADOW_BACKEND=merged');
    // Legacy mode still serves vendor order numbers once the vendor is configured: a receipt is needed.
    expect(configError(() => parseOrdersConfig({ ...LEGACY, ...rest }))).toContain(
      'VENDOR_RECEIPT_BASE_URL=""',
    );
  });

  it('builds the vendor upstreams and takes the receipt page as given', () => {
    const config = parseOrdersConfig({
      ...LEGACY,
      ...VENDOR,
      ORDERS_BACKEND: 'merged',
      VENDOR_API_TIMEOUT_MS: '900',
    });
    expect(config.mode).toBe('merged');
    expect(config.vendor).toMatchObject({
      api: { name: 'vendor-commerce', baseUrl: 'https://api.example.org', timeoutMs: 900 },
      auth: { name: 'vendor-auth', baseUrl: 'https://auth.example.org' },
      projectKey: 'edx-prod',
      receiptBaseUrl: 'https://orders.example.org/receipt/',
    });
  });

  it('routes by ORDERS_LEGACY_NUMBER_PATTERN, EDX- plus any number of digits by default', () => {
    const { legacyNumberPattern } = parseOrdersConfig(LEGACY);
    // Basket id + 100000, no digit limit (OrderNumberGenerator): basket 900000 is EDX-1000000.
    expect(['EDX-100042', 'EDX-1', 'EDX-1000001'].every((n) => legacyNumberPattern.test(n))).toBe(true);
    expect(['2U-000001', 'EDX-', 'xEDX-1', 'EDX-1x'].some((n) => legacyNumberPattern.test(n))).toBe(false);
    const message = configError(() => parseOrdersConfig({ ...LEGACY, ORDERS_LEGACY_NUMBER_PATTERN: '(' }));
    expect(message).toContain('ORDERS_LEGACY_NUMBER_PATTERN="("');
  });
});
