/**
 * Normalises an upstream timestamp to ISO-8601 UTC, dropping a zero millisecond part so every backend
 * renders the same instant the same way ("…:44Z", whether it arrived as "…:44Z" or "…:44.000Z").
 * Throws RangeError for anything unparseable: callers treat that as a malformed upstream body.
 */
export function toUtcIso(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`not a timestamp: ${JSON.stringify(value)}`);
  return new Date(time).toISOString().replace('.000Z', 'Z');
}
