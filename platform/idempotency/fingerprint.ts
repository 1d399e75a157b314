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
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
