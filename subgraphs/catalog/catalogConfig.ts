import { DEFAULT_ADMIN_PORTS, parseAdminEnv, type AdminOptions } from '../../platform/config/adminEnv';
import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import { parseTracingConfig, type TracingConfig } from '../../platform/tracing/tracingConfig';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';
import {
  parseServiceIdentityConfig,
  type ServiceIdentityConfig,
} from '../serviceIdentity/serviceIdentityConfig';
import { parseSubgraphSecurityConfig, type SubgraphSecurityConfig } from '../subgraphSecurityConfig';

export interface CatalogConfig {
  port: number;
  /** `/metrics` and `/status`, off the public port. */
  admin: AdminOptions;
  jwt: JwtOptions;
  discovery: UpstreamOptions;
  /** The LMS OAuth2 client whose token the catalog calls discovery with (LMS_OAUTH2_*). */
  serviceIdentity: Readonly<ServiceIdentityConfig>;
  /** Keys per discovery call; larger batches are split. */
  maxBatchSize: number;
  logLevel: string;
  tracing: Readonly<TracingConfig>;
  /** Gateway-only access, query limits, introspection (SUBGRAPH_*). */
  security: Readonly<SubgraphSecurityConfig>;
}

export function parseCatalogConfig(source: Env): Readonly<CatalogConfig> {
  const parsed = parseEnv(
    {
      CATALOG_SUBGRAPH_PORT: env.port(4002),
      DISCOVERY_URL: env.url(),
      // 50 keys keep the query string far below common 8 KiB URL limits (keys are ~45 chars encoded).
      CATALOG_MAX_BATCH_SIZE: env.positiveInt(50, 150),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return Object.freeze({
    port: parsed.CATALOG_SUBGRAPH_PORT,
    admin: parseAdminEnv(source, DEFAULT_ADMIN_PORTS.catalog),
    jwt: parseJwtEnv(source),
    discovery: parseUpstreamEnv('DISCOVERY', 'discovery', parsed.DISCOVERY_URL.replace(/\/$/, ''), source),
    serviceIdentity: parseServiceIdentityConfig(source),
    maxBatchSize: parsed.CATALOG_MAX_BATCH_SIZE,
    logLevel: parsed.LOG_LEVEL,
    tracing: parseTracingConfig(source, 'switchyard-catalog'),
    security: parseSubgraphSecurityConfig(source),
  });
}
