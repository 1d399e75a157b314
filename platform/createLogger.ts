import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout (one line per event), named per component so a stack's lines can be told apart. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, base: { component: name } });
}

/** For tests and library defaults: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
