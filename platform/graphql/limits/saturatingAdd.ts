/**
 * a + b, held at Number.MAX_SAFE_INTEGER. Counts "as executed" multiply through fragment spreads and
 * list sizes: a kilobyte can ask for 2^100 of something. Past 2^53 a double stops counting exactly
 * and past 2^1024 it is Infinity, which JSON writes as null; a limit's refusal must still say a number.
 */
export function saturatingAdd(a: number, b: number): number {
  return Math.min(a + b, Number.MAX_SAFE_INTEGER);
}

/** a × b, held at Number.MAX_SAFE_INTEGER (0 × anything is 0). */
export function saturatingMultiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return Math.min(a * b, Number.MAX_SAFE_INTEGER);
}
