import { z } from 'zod';
import { env, parseEnv, type Env } from '../../../platform/config/parseEnv';
import { isProduction } from '../../../platform/config/secretEnv';
import type { UpstreamOptions } from '../../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';

/** The discovery simulator's port under `npm start` (scripts/createLocalStack.ts). */
const DEV_DISCOVERY_URL = 'http://127.0.0.1:4102';

export interface RefundsConfig {
  /**
   * REFUND_WINDOW_DAYS in ms: the LMS's EnrollmentRefundConfiguration, which an operator sets to what
   * their LMS uses. @default 14 days (`refund_window_microseconds`' default)
   */
  windowMs: number;
  /** Course discovery (the run's start and seats), read as the service user. */
  discovery: UpstreamOptions;
  /** The LMS (the certificates API), read as the service user: LMS_API_URL, as for its user API. */
  lms: UpstreamOptions;
  /**
   * REFUND_AUTO_APPROVE: process each new legacy refund at once (`approve`), as the LMS does when its
   * automatic approval is on. @default false, the LMS's default: refunds wait Open for staff.
   */
  autoApprove: boolean;
}

const SET_IN_PRODUCTION = 'must be set in production (NODE_ENV=production)';

/**
 * REFUND_WINDOW_DAYS, REFUND_AUTO_APPROVE and DISCOVERY_URL (with its DISCOVERY_* tuning).
 * DISCOVERY_URL is required in production, else the simulator's. The LMS is the one every LMS REST
 * call goes to, `lmsApi` (LMS_API_URL: serviceIdentityConfig's parseLmsApiConfig).
 */
export function parseRefundsConfig(source: Env, lmsApi: UpstreamOptions): Readonly<RefundsConfig> {
  const url = z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? SET_IN_PRODUCTION : 'must be an http(s) URL'),
  });
  const parsed = parseEnv(
    {
      REFUND_WINDOW_DAYS: env.positiveInt(14, 36_500),
      REFUND_AUTO_APPROVE: env.boolean(false),
      DISCOVERY_URL: isProduction(source) ? url : url.default(DEV_DISCOVERY_URL),
    },
    source,
  );
  return Object.freeze({
    windowMs: parsed.REFUND_WINDOW_DAYS * 86_400_000,
    autoApprove: parsed.REFUND_AUTO_APPROVE,
    discovery: parseUpstreamEnv('DISCOVERY', 'discovery', parsed.DISCOVERY_URL.replace(/\/$/, ''), source),
    lms: lmsApi,
  });
}
