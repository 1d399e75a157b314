/** Runtime fault knobs every simulator has; all off by default. */
export interface Faults {
  /** Added before every answer. */
  latencyMs: number;
  /** Share of requests (0-1) answered with `errorStatus`. */
  errorRate: number;
  /** @default 500 */
  errorStatus: number;
  /** Accept the request and never answer. */
  hang: boolean;
  /** Share of requests (0-1) answered 200 with a truncated, unparseable JSON body. */
  malformedRate: number;
  /** Share of requests (0-1) whose connection is reset (TCP RST) instead of answered. */
  resetRate: number;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  hang: false,
  malformedRate: 0,
  resetRate: 0,
});

/** Validates a partial fault update (from tests or `POST /__sim/faults`), rejecting unknown knobs. */
export function parseFaults(input: unknown, current: Faults): Faults {
  if (typeof input !== 'object' || input === null) throw new Error('faults must be a JSON object');
  const next: Faults = { ...current };
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'hang':
        if (typeof value !== 'boolean') throw new Error('hang must be a boolean');
        next.hang = value;
        break;
      case 'latencyMs':
      case 'errorStatus':
        if (typeof value !== 'number' || value < 0) throw new Error(`${key} must be a number >= 0`);
        next[key] = value;
        break;
      case 'errorRate':
      case 'malformedRate':
      case 'resetRate':
        if (typeof value !== 'number' || value < 0 || value > 1)
          throw new Error(`${key} must be between 0 and 1`);
        next[key] = value;
        break;
      default:
        throw new Error(`unknown fault "${key}"`);
    }
  }
  return next;
}
