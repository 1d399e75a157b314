import { configError } from '../../helpers/configError';
import { parseVendorConfig, vendorScopesFor } from '../../../subgraphs/orders/config/vendorConfig';

const VENDOR = {
  VENDOR_API_URL: 'https://api.example.org/',
  VENDOR_AUTH_URL: 'https://auth.example.org',
  VENDOR_PROJECT_KEY: 'edx-prod',
  VENDOR_CLIENT_ID: 'orders',
  VENDOR_CLIENT_SECRET: 's3cret',
  VENDOR_RECEIPT_BASE_URL: 'https://orders.example.org/receipt/',
};

describe('VENDOR_SCOPES', () => {
  it('defaults to what the adapter calls need, on the configured project', () => {
    expect(parseVendorConfig(VENDOR, null)?.scopes).toEqual([
      'view_orders:edx-prod',
      'manage_orders:edx-prod',
      'view_customers:edx-prod',
    ]);
    expect(vendorScopesFor('p')).toEqual(['view_orders:p', 'manage_orders:p', 'view_customers:p']);
  });

  it('takes a space-separated list, e.g. a read-only client; empty is unset, as for every variable', () => {
    expect(parseVendorConfig({ ...VENDOR, VENDOR_SCOPES: ' ' }, null)?.scopes).toEqual(
      vendorScopesFor('edx-prod'),
    );
    const scopes = 'view_orders:edx-prod  view_customers:edx-prod';
    expect(parseVendorConfig({ ...VENDOR, VENDOR_SCOPES: scopes }, null)?.scopes).toEqual([
      'view_orders:edx-prod',
      'view_customers:edx-prod',
    ]);
  });

  it.each([
    ['view_orders:edx-prod,manage_orders:edx-prod', 'each scope must be <scope>:<projectKey>'],
    ['view_orders', 'each scope must be <scope>:<projectKey>'],
    ['view orders:edx-prod', 'each scope must be <scope>:<projectKey>'],
  ])('stops start-up on %j, naming the variable', (value, why) => {
    const message = configError(() => parseVendorConfig({ ...VENDOR, VENDOR_SCOPES: value }, null));
    expect(message).toContain('VENDOR_SCOPES');
    expect(message).toContain(why);
  });

  it('refuses a scope of another project: it would grant nothing on this one', () => {
    const message = configError(() =>
      parseVendorConfig({ ...VENDOR, VENDOR_SCOPES: 'view_orders:edx-prod manage_orders:edx-stage' }, null),
    );
    expect(message).toContain('VENDOR_SCOPES="manage_orders:edx-stage"');
    expect(message).toContain(':edx-prod');
  });

  it('is not silently ignored without the vendor configuration it belongs to', () => {
    expect(configError(() => parseVendorConfig({ VENDOR_SCOPES: 'view_orders:edx-prod' }, null))).toContain(
      'VENDOR_SCOPES',
    );
    expect(parseVendorConfig({}, null)).toBeNull();
  });
});
