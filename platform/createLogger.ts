import pino, { type DestinationStream, type Logger } from 'pino';
import { boundedLogString, boundLogFields } from './boundLogFields';
import { traceLogFields } from './tracing/traceLogFields';

export type { Logger };

/**
 * JSON logs (one line per event), named per component so a stack's lines can be told apart. A line
 * logged while a request is handled also carries that request's `traceId` and `spanId`. Every field of
 * every line is bounded (boundLogFields): a caller's value cannot make a line large.
 * @param destination @default stdout (tests pass a stream they read)
 */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { component: name },
      mixin: traceLogFields,
      formatters: { log: boundLogFields },
      // The message too: an error's message may quote what the caller sent.
      hooks: {
        logMethod(args, method) {
          const bounded = args.map((arg: unknown) => (typeof arg === 'string' ? boundedLogString(arg) : arg));
          return method.apply(this, bounded as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** For tests and library defaults: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
