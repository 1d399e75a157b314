import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../platform/config/ConfigError';

/** One operation an MFE build shipped: `id` is the sha256 (hex) of `body`, as APQ hashes a query. */
export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** The safelist: operations by id. An exact body is found by its sha256, which is its id. */
export type PersistedQueryManifest = ReadonlyMap<string, PersistedOperation>;

// Apollo's persisted-query manifest, as `@apollo/generate-persisted-query-manifest` writes it.
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex'),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Reads and checks the manifest once, at start-up: a file that is missing, malformed, or holds an id
 * that is not its body's hash stops the gateway with the variable's name — a wrong id would otherwise
 * turn away every client of that operation at run time.
 */
export function readPersistedQueryManifest(
  path: string,
  variable = 'PERSISTED_QUERIES_MANIFEST',
): PersistedQueryManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${path} (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${variable}: ${path} is not JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `${variable}: ${path} is not an Apollo persisted-query manifest (${issue.path.join('.') || 'root'}: ${issue.message})`,
    );
  }
  const byId = new Map<string, PersistedOperation>();
  for (const operation of parsed.data.operations) {
    if (sha256Hex(operation.body) !== operation.id) {
      throw new ConfigError(
        `${variable}: ${path}: operation "${operation.name}" has an id that is not the sha256 of its body`,
      );
    }
    byId.set(operation.id, operation);
  }
  return byId;
}
