import pino, { type DestinationStream, type Logger } from 'pino';
import { traceLogFields } from './tracing/traceLogFields';

export type { Logger };

/**
 * JSON logs (one line per event), named per component so a stack's lines can be told apart. A line
 * logged while a request is handled also carries that request's `traceId` and `spanId`.
 * @param destination @default stdout (tests pass a stream they read)
 */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  return pino({ name, level, base: { component: name }, mixin: traceLogFields }, destination);
}

/** For tests and library defaults: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
