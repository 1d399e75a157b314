import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { parseJwtEnv } from '../../platform/config/jwtEnv';
import { env, parseEnv, type Env } from '../../platform/config/parseEnv';
import { parseTracingConfig, type TracingConfig } from '../../platform/tracing/tracingConfig';
import type { UpstreamOptions } from '../../upstream/UpstreamOptions';
import { parseUpstreamEnv } from '../../upstream/upstreamEnv';

export interface CatalogConfig {
  port: number;
  jwt: JwtOptions;
  discovery: UpstreamOptions;
  /** Keys per discovery call; larger batches are split. */
  maxBatchSize: number;
  logLevel: string;
  tracing: Readonly<TracingConfig>;
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
    jwt: parseJwtEnv(source),
    discovery: parseUpstreamEnv('DISCOVERY', 'discovery', parsed.DISCOVERY_URL.replace(/\/$/, ''), source),
    maxBatchSize: parsed.CATALOG_MAX_BATCH_SIZE,
    logLevel: parsed.LOG_LEVEL,
    tracing: parseTracingConfig(source, 'switchyard-catalog'),
  });
}
