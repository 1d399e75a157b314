import { createHash } from 'node:crypto';

/** A stable digest of an operation and its arguments: key order never changes it. */
export function fingerprint(operation: string, args: unknown): string {
  return createHash('sha256')
    .update(`${operation}\u0000${canonicalJson(args)}`)
    .digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, as `<` does: the keys of one object are distinct.
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
