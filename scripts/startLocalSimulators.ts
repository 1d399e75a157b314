import { randomBytes } from 'node:crypto';
import { parseJwtEnv } from '../platform/config/jwtEnv';
import { isProduction } from '../platform/config/secretEnv';
import type { Env } from '../platform/config/parseEnv';
import { createDiscoverySimulator } from '../simulators/discovery/createDiscoverySimulator';
import { createLmsOAuthSimulator, LMS_DEV_SERVICE_CLIENT } from '../simulators/lms/createLmsOAuthSimulator';
import { createLegacyEcommerceSimulator } from '../simulators/legacy/createLegacyEcommerceSimulator';
import { seedLmsAccounts } from '../simulators/seed/lmsUserIdOf';
import { createSeed, type Seed } from '../simulators/seed/createSeed';
import {
  createVendorSimulator,
  VENDOR_DEV_PROJECT,
  vendorReceiptBaseUrl,
} from '../simulators/vendor/createVendorSimulator';
import type { LocalStack } from './createLocalStack';

/** The simulator ports and throttles createLocalStack read from the environment. */
export interface LocalSimulatorPorts {
  LEGACY_SIMULATOR_PORT: number;
  DISCOVERY_SIMULATOR_PORT: number;
  VENDOR_SIMULATOR_PORT: number;
  LMS_SIMULATOR_PORT: number;
  DISCOVERY_SIMULATOR_THROTTLE_RATE: string;
  LEGACY_SIMULATOR_THROTTLE_RATE: string;
}

export interface LocalSimulators {
  /** Only the simulators that were started (an upstream with a configured URL has none). */
  simulators: LocalStack['simulators'];
  /** The environment with every started simulator's URL (and the LMS's JWK set) filled in. */
  withUpstreams: Env;
  /** The JWT settings as the environment gave them (for the demo token when no LMS simulator runs). */
  jwt: ReturnType<typeof parseJwtEnv>;
}

/**
 * A simulator for each upstream whose URL the environment does not set (createLocalStack's first half).
 * Each one started is registered in `stoppers` at once, so a later failure still closes it.
 */
export async function startLocalSimulators(
  source: Env,
  options: { seed?: Seed; jwksOnly?: boolean; port: (fixed: number) => number },
  ports: LocalSimulatorPorts,
  stoppers: (() => Promise<void>)[],
): Promise<LocalSimulators> {
  const { port } = options;
  const jwt = parseJwtEnv(source);
  // What the LMS simulator signs service tokens with: no secret at all when only the JWK set counts.
  const lmsJwt: typeof jwt = options.jwksOnly
    ? { issuer: jwt.issuer, audience: jwt.audience, ...(jwt.jwks ? { jwks: jwt.jwks } : {}) }
    : jwt;
  const seed =
    options.seed ??
    (source.LEGACY_ECOMMERCE_URL && source.DISCOVERY_URL && source.VENDOR_API_URL ? undefined : createSeed());
  const simulators: LocalStack['simulators'] = {};
  // The LMS: its token endpoint for the service identity (it issues tokens for whatever client the
  // environment names, else the dev one), its learners' sign-in and its /auth/jwks.json.
  const lmsClient = {
    LMS_OAUTH2_CLIENT_ID: source.LMS_OAUTH2_CLIENT_ID ?? LMS_DEV_SERVICE_CLIENT.clientId,
    // Production refuses the published development secret: the simulated LMS gets a random one then.
    LMS_OAUTH2_CLIENT_SECRET:
      source.LMS_OAUTH2_CLIENT_SECRET ??
      (isProduction(source) ? randomBytes(32).toString('hex') : LMS_DEV_SERVICE_CLIENT.clientSecret),
  };
  if (!source.LMS_OAUTH2_URL) {
    simulators.lms = await createLmsOAuthSimulator({
      jwt: lmsJwt,
      clients: [
        {
          ...LMS_DEV_SERVICE_CLIENT,
          clientId: lmsClient.LMS_OAUTH2_CLIENT_ID,
          clientSecret: lmsClient.LMS_OAUTH2_CLIENT_SECRET,
        },
      ],
      port: port(ports.LMS_SIMULATOR_PORT),
      // The learners its user API knows, with the ids the vendor simulator's customers carry.
      ...(seed ? { accounts: seedLmsAccounts(seed) } : {}),
    });
    stoppers.unshift(() => simulators.lms!.close());
  }
  // The LMS simulator's public keys, for everyone who verifies learner tokens, unless the
  // environment names a JWK set of its own; the development secret stays accepted beside them.
  const lmsJwks =
    simulators.lms && !source.JWT_JWKS_URL && !source.JWT_PUBLIC_SIGNING_JWK_SET
      ? `${simulators.lms.url}/auth/jwks.json`
      : undefined;
  const jwtVars: Env = lmsJwks
    ? {
        JWT_JWKS_URL: lmsJwks,
        ...(!options.jwksOnly && jwt.secret !== undefined
          ? { JWT_SECRET: jwt.secret }
          : { JWT_SECRET: undefined }),
      }
    : {};
  const simulatorJwt = lmsJwks ? parseJwtEnv({ ...source, ...jwtVars }) : jwt;
  if (!source.LEGACY_ECOMMERCE_URL && seed) {
    simulators.legacy = await createLegacyEcommerceSimulator({
      seed,
      jwt: simulatorJwt,
      port: port(ports.LEGACY_SIMULATOR_PORT),
      throttleRate: ports.LEGACY_SIMULATOR_THROTTLE_RATE,
    });
    stoppers.unshift(() => simulators.legacy!.close());
  }
  if (!source.DISCOVERY_URL && seed) {
    simulators.discovery = await createDiscoverySimulator({
      seed,
      jwt: simulatorJwt,
      port: port(ports.DISCOVERY_SIMULATOR_PORT),
      throttleRate: ports.DISCOVERY_SIMULATOR_THROTTLE_RATE,
    });
    stoppers.unshift(() => simulators.discovery!.close());
  }
  // The vendor simulator accepts whatever project and client the environment names, else dev ones.
  const vendorProject = {
    VENDOR_PROJECT_KEY: source.VENDOR_PROJECT_KEY ?? VENDOR_DEV_PROJECT.projectKey,
    VENDOR_CLIENT_ID: source.VENDOR_CLIENT_ID ?? VENDOR_DEV_PROJECT.clientId,
    VENDOR_CLIENT_SECRET: source.VENDOR_CLIENT_SECRET ?? VENDOR_DEV_PROJECT.clientSecret,
  };
  if (!source.VENDOR_API_URL && seed) {
    simulators.vendor = await createVendorSimulator({
      orders: seed.vendorOrders ?? [],
      projectKey: vendorProject.VENDOR_PROJECT_KEY,
      clientId: vendorProject.VENDOR_CLIENT_ID,
      clientSecret: vendorProject.VENDOR_CLIENT_SECRET,
      port: port(ports.VENDOR_SIMULATOR_PORT),
    });
    stoppers.unshift(() => simulators.vendor!.close());
  }
  const withUpstreams: Env = {
    ...source,
    ...jwtVars,
    ...(simulators.lms ? { LMS_OAUTH2_URL: `${simulators.lms.url}/oauth2`, ...lmsClient } : {}),
    LEGACY_ECOMMERCE_URL: source.LEGACY_ECOMMERCE_URL ?? simulators.legacy?.url,
    DISCOVERY_URL: source.DISCOVERY_URL ?? simulators.discovery?.url,
    ...(simulators.vendor
      ? {
          VENDOR_API_URL: simulators.vendor.url,
          VENDOR_AUTH_URL: simulators.vendor.url,
          ...vendorProject,
          // Required, with no default (the vendor API has no receipt page): the simulator's stand-in.
          VENDOR_RECEIPT_BASE_URL:
            source.VENDOR_RECEIPT_BASE_URL ?? vendorReceiptBaseUrl(simulators.vendor.url),
        }
      : {}),
  };
  return { simulators, withUpstreams, jwt };
}
