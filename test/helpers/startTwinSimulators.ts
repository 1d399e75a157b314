import { parseJwtEnv } from '../../platform/config/jwtEnv';
import type { Env } from '../../platform/config/parseEnv';
import type { Simulator } from '../../simulators/kit/createSimulator';
import {
  createLegacyEcommerceSimulator,
  LOAD_TEST_THROTTLE_RATE,
} from '../../simulators/legacy/createLegacyEcommerceSimulator';
import { createLmsOAuthSimulator } from '../../simulators/lms/createLmsOAuthSimulator';
import { createSeed } from '../../simulators/seed/createSeed';
import { seedLmsAccounts } from '../../simulators/seed/lmsUserIdOf';
import type { SeedOrder } from '../../simulators/seed/SeedOrder';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
  type VendorSimulator,
} from '../../simulators/vendor/createVendorSimulator';

// Statuses both systems can express; the legacy-only ones would differ by design, not by bug.
const SAME_IN_BOTH = new Set(['Complete', 'Open', 'Pending']);

export interface TwinSimulators {
  legacy: Simulator;
  vendor: VendorSimulator;
  /** The logical orders, as the legacy system holds them (newest first per user). */
  orders: SeedOrder[];
  /**
   * LEGACY_*, VENDOR_* and LMS_OAUTH2_URL variables pointing at the simulators: the LMS's, because a
   * staff read of someone's vendor history asks it for the learner's user id.
   */
  env: Env;
  close(): Promise<void>;
}

/**
 * The legacy and the vendor simulator holding the same logical orders under the same numbers, as
 * after a history import: a shadow or `npm run compare` over them must find nothing, unless `vendorEdit`
 * changes the vendor's copy (a deep clone) to inject differences.
 */
export async function startTwinSimulators(
  usernames: readonly string[],
  vendorEdit: (orders: SeedOrder[]) => SeedOrder[] = (orders) => orders,
): Promise<TwinSimulators> {
  const seed = createSeed();
  const orders = seed.orders
    .filter((o) => usernames.includes(o.username))
    .map((o) => ({ ...o, status: SAME_IN_BOTH.has(o.status) ? o.status : 'Complete' }))
    // Undiscounted: the legacy system spreads an order's discounts over its line prices (Oscar), the
    // vendor keeps them on the total, so every discounted line would differ by design, not by bug.
    .map(({ discounts: _discounts, ...o }) => ({ ...o, discountMinor: 0, voucherCode: null }))
    // The legacy API orders by date alone; give equal instants the vendor's tie-break, by number.
    .sort((a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt) || (a.number < b.number ? -1 : 1));
  const jwt = parseJwtEnv({});
  const legacy = await createLegacyEcommerceSimulator({
    seed: { ...seed, orders },
    jwt,
    // A comparison reads whole histories as one learner; the throttle is not what is compared.
    throttleRate: LOAD_TEST_THROTTLE_RATE,
  });
  // Brought over by Order Import, so each carries its purchase time as completedAt.
  const imported = orders.map((o) => ({ ...structuredClone(o), imported: true }));
  const vendor = await createVendorSimulator({ orders: vendorEdit(imported) });
  const lms = await createLmsOAuthSimulator({ jwt, accounts: seedLmsAccounts(seed) });
  return {
    legacy,
    vendor,
    orders,
    env: {
      LEGACY_ECOMMERCE_URL: legacy.url,
      VENDOR_API_URL: vendor.url,
      VENDOR_AUTH_URL: vendor.url,
      VENDOR_PROJECT_KEY: VENDOR_DEV_PROJECT.projectKey,
      VENDOR_CLIENT_ID: VENDOR_DEV_PROJECT.clientId,
      VENDOR_CLIENT_SECRET: VENDOR_DEV_PROJECT.clientSecret,
      VENDOR_RECEIPT_BASE_URL: vendorReceiptBaseUrl(vendor.url),
      LMS_OAUTH2_URL: `${lms.url}/oauth2`,
    },
    close: async () => void (await Promise.all([legacy.close(), vendor.close(), lms.close()])),
  };
}
