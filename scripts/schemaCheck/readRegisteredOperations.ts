import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError } from '../../platform/config/ConfigError';
import { readPersistedQueryManifest } from '../../gateway/safelist/PersistedQueryManifest';
import type { ClientOperation } from '../../schema/checks/ClientOperation';
import { CLIENT_NAME } from '../../schema/checks/clientName';

export interface RegisteredOperations {
  /** The registered clients, from their manifests' file names, sorted. */
  clients: string[];
  operations: ClientOperation[];
}

/**
 * The operations every registered client ships: each `<client-name>.json` in `dir` is that client's
 * Apollo persisted-query manifest, as its build wrote it (docs/schema-changes.md). A manifest that is
 * malformed, or an id that is not its body's sha256, stops the check: a check that skipped it would
 * pass changes that break that client.
 */
export function readRegisteredOperations(
  dir: string,
  variable = 'PERSISTED_QUERY_MANIFESTS_DIR',
): RegisteredOperations {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read the directory ${dir} (${(error as Error).message})`);
  }
  const clients: string[] = [];
  const operations: ClientOperation[] = [];
  for (const file of files.sort()) {
    const client = basename(file, '.json');
    if (!CLIENT_NAME.test(client)) {
      throw new ConfigError(
        `${variable}: ${join(dir, file)}: "${client}" is not a client name (letters, digits, . _ -, up to 64)`,
      );
    }
    const manifest = readPersistedQueryManifest(join(dir, file), variable);
    clients.push(client);
    for (const op of manifest.values()) operations.push({ client, name: op.name, id: op.id, body: op.body });
  }
  return { clients, operations };
}
