import { join } from 'node:path';
import { parseEnv, type Env } from '../../platform/config/parseEnv';
import { z } from 'zod';
import { schemaDirectory } from '../../schema/schemaDirectory';

/** Where the registered clients' manifests are: PERSISTED_QUERY_MANIFESTS_DIR, or persisted-queries/ at the repository root. */
export function registeredManifestsDir(source: Env): string {
  const parsed = parseEnv({ PERSISTED_QUERY_MANIFESTS_DIR: z.string().min(1).optional() }, source);
  return parsed.PERSISTED_QUERY_MANIFESTS_DIR ?? join(schemaDirectory(), '..', 'persisted-queries');
}
