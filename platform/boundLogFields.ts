/**
 * The most bytes (UTF-8) one string value may take in a log line. Every bounded argument fits whole
 * (a 255-character course run key is at most 765 bytes), so only what no argument bound or header
 * check has limited yet — an operation name, a raw header, a value from a direct subgraph call — is
 * cut: a caller cannot make one field of one line larger than this.
 */
export const MAX_LOG_VALUE_BYTES = 1024;
/** The most items of one array kept in a log line; the rest are counted, not written. */
export const MAX_LOG_ARRAY_ITEMS = 20;
const MAX_DEPTH = 4;

/**
 * `value` cut to at most `maxBytes` UTF-8 bytes, marker included: the head on a character boundary,
 * then `…[<n> bytes]` with the original size, so a reader sees that (and how much) was cut.
 */
export function boundedLogString(value: string, maxBytes = MAX_LOG_VALUE_BYTES): string {
  // At most 3 bytes per UTF-16 code unit: short strings need no measuring.
  if (value.length * 3 <= maxBytes) return value;
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= maxBytes) return value;
  const marker = `…[${bytes.length} bytes]`;
  let end = Math.max(0, maxBytes - Buffer.byteLength(marker));
  // Back to the first byte of a character: never half of one.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}${marker}`;
}

/**
 * A log line's fields with every string bounded (boundedLogString), arrays cut to
 * MAX_LOG_ARRAY_ITEMS and nesting to a few levels. Errors and other class instances pass untouched
 * (pino's serializers own them). createLogger runs every line of every component through this, so
 * no call site can forget it.
 */
export function boundLogFields<T extends Record<string, unknown>>(fields: T): T {
  return bound(fields, 0) as T;
}

function bound(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return boundedLogString(value);
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return `[array of ${value.length}]`;
    const kept = value.slice(0, MAX_LOG_ARRAY_ITEMS).map((item) => bound(item, depth + 1));
    const more = value.length - kept.length;
    return more > 0 ? [...kept, `…[${more} more]`] : kept;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return '[object]';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[boundedLogString(key)] = bound(item, depth + 1);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
