import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { DEV_JWT_SECRET, parseJwtEnv } from '../../../platform/config/jwtEnv';
import { parseCatalogConfig } from '../../../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig } from '../../../subgraphs/orders/config/ordersConfig';
import { parseVendorConfig } from '../../../subgraphs/orders/config/vendorConfig';
import { configError } from '../../helpers/configError';

const PRODUCTION = { NODE_ENV: 'production' };
const BYTES_20 = 'x'.repeat(20);
// Generated-looking: production also refuses few distinct characters (publishedSecrets.ts).
const BYTES_32 = 'k3Jq9ZrT2vWm8XsB5nDf1HgL7cPy4AeU';
// 16 characters, 32 bytes in UTF-8: the floor is bytes, what an HMAC key is made of.
const MULTIBYTE_32 = 'éàüöçñøåæœßðþłžš';

describe('JWT_SECRET in production', () => {
  it('must be set: start-up stops naming it (outside production the development secret still serves)', () => {
    const message = configError(() => parseJwtEnv(PRODUCTION));
    expect(message).toContain('JWT_SECRET=""');
    expect(message).toContain('must be set in production');
    expect(parseJwtEnv({}).secret).toBe(DEV_JWT_SECRET);
    expect(parseJwtEnv({ NODE_ENV: 'development' }).secret).toBe(DEV_JWT_SECRET);
  });

  it('is refused at 20 bytes (the public development secret too) and accepted at 32 bytes or more', () => {
    expect(configError(() => parseJwtEnv({ ...PRODUCTION, JWT_SECRET: BYTES_20 }))).toMatch(
      /JWT_SECRET=.*at least 32 bytes/,
    );
    expect(configError(() => parseJwtEnv({ ...PRODUCTION, JWT_SECRET: DEV_JWT_SECRET }))).toContain(
      'JWT_SECRET',
    );
    expect(parseJwtEnv({ ...PRODUCTION, JWT_SECRET: BYTES_32 }).secret).toBe(BYTES_32);
    expect(parseJwtEnv({ ...PRODUCTION, JWT_SECRET: MULTIBYTE_32 }).secret).toBe(MULTIBYTE_32);
  });

  // Everything else a production start needs, so JWT_SECRET is what is missing.
  const OTHERWISE_READY = { ...PRODUCTION, SUBGRAPH_SHARED_SECRET: BYTES_32 };

  it.each([
    ['gateway', () => parseGatewayConfig(OTHERWISE_READY)],
    [
      'orders subgraph (and refund worker)',
      () =>
        parseOrdersConfig({
          ...OTHERWISE_READY,
          LEGACY_ECOMMERCE_URL: 'http://l',
          DISCOVERY_URL: 'http://d',
        }),
    ],
    ['catalog subgraph', () => parseCatalogConfig({ ...OTHERWISE_READY, DISCOVERY_URL: 'http://d' })],
  ])('stops the %s naming it', (_component, parse) => {
    expect(configError(parse)).toContain('JWT_SECRET=""');
  });
});

describe('VENDOR_CLIENT_SECRET in production', () => {
  const VENDOR = {
    VENDOR_API_URL: 'https://api.example.org',
    VENDOR_AUTH_URL: 'https://auth.example.org',
    VENDOR_PROJECT_KEY: 'edx-prod',
    VENDOR_CLIENT_ID: 'orders',
    VENDOR_RECEIPT_BASE_URL: 'https://shop.example.org/receipt/',
  };
  const NEEDED = 'when ORDERS_BACKEND=vendor';

  it('is held to 32 bytes in production: unset or 20 bytes stops start-up naming it, 32 passes', () => {
    const unset = configError(() => parseVendorConfig({ ...PRODUCTION, ...VENDOR }, NEEDED));
    expect(unset).toContain('VENDOR_CLIENT_SECRET=""');
    expect(unset).not.toContain('VENDOR_CLIENT_ID=');
    expect(
      configError(() =>
        parseVendorConfig({ ...PRODUCTION, ...VENDOR, VENDOR_CLIENT_SECRET: BYTES_20 }, NEEDED),
      ),
    ).toMatch(/VENDOR_CLIENT_SECRET=.*at least 32 bytes/);
    // The client id is not a secret (RFC 6749 §2.2): no length asked of it.
    expect(
      parseVendorConfig({ ...PRODUCTION, ...VENDOR, VENDOR_CLIENT_SECRET: BYTES_32 }, NEEDED),
    ).toMatchObject({ clientId: 'orders', clientSecret: BYTES_32 });
    // Unchanged elsewhere: no vendor at all in legacy mode, and the simulator's short development secret.
    expect(parseVendorConfig(PRODUCTION, null)).toBeNull();
    expect(parseVendorConfig({ ...VENDOR, VENDOR_CLIENT_SECRET: 's3cret' }, NEEDED)?.clientSecret).toBe(
      's3cret',
    );
  });
});
