/**
 * Fault knobs of the TCP fault proxy. An options object rather than a union so faults combine
 * (e.g. latency plus a mid-stream reset); every knob is optional and absent means "off".
 * `setFaults` replaces the whole set, so what a test sets is exactly what is in force.
 *
 * "Downstream" is upstream→client (the response); byte limits count downstream bytes per
 * connection, HTTP headers included, because the proxy only sees TCP.
 */
export interface ProxyFaults {
  /** Each downstream chunk is delivered this long after it arrived from upstream. */
  latencyMs?: number;
  /** Adds a uniform ±jitterMs to each chunk's latency; chunk order is always kept. */
  jitterMs?: number;
  /**
   * New connections are accepted and their request bytes read, but no upstream connection is
   * made. Existing connections stop delivering downstream until the fault is cleared.
   */
  hang?: boolean;
  /** After this many downstream bytes the client socket is destroyed with a TCP RST. */
  resetAfterBytes?: number;
  /** After this many downstream bytes the client socket is ended gracefully (FIN). */
  closeAfterBytes?: number;
  /** Caps downstream throughput per connection. */
  bandwidthBytesPerSec?: number;
  /**
   * Each new connection is reset (RST) the moment it is accepted, before a byte is read, so
   * clients see ECONNRESET / "other side closed". The listener stays open: closing it would
   * give a true ECONNREFUSED but free the port for someone else to take before it reopens.
   */
  refuse?: boolean;
}

const NUMBER_KNOBS = ['latencyMs', 'jitterMs', 'resetAfterBytes', 'closeAfterBytes', 'bandwidthBytesPerSec'];
const BOOLEAN_KNOBS = ['hang', 'refuse'];

/** Validates a fault set (tests may build it from loose input), rejecting unknown knobs. */
export function parseProxyFaults(input: unknown): ProxyFaults {
  if (typeof input !== 'object' || input === null) throw new Error('faults must be an object');
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (NUMBER_KNOBS.includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new Error(`${key} must be a finite number >= 0`);
      if (key === 'bandwidthBytesPerSec' && value === 0) throw new Error('bandwidthBytesPerSec must be > 0');
    } else if (BOOLEAN_KNOBS.includes(key)) {
      if (typeof value !== 'boolean') throw new Error(`${key} must be a boolean`);
    } else {
      throw new Error(`unknown fault "${key}"`);
    }
  }
  return { ...(input as ProxyFaults) };
}
