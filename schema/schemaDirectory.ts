import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `schema/` at the repo root, whether running from sources (ts-jest) or from `dist/`. */
export function schemaDirectory(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'schema');
    try {
      readFileSync(join(candidate, 'orders.graphql'));
      return candidate;
    } catch {
      dir = join(dir, '..');
    }
  }
  throw new Error('schema/ directory not found');
}
