import pino, { type Logger } from 'pino';

/** A pino logger whose lines are kept, parsed, and a bounded wait for one of them. */
export function capturedLogger(level = 'info'): {
  logger: Logger;
  lines: Record<string, unknown>[];
  until(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
} {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return {
    logger,
    lines,
    until: async (match, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some(match)) {
        if (Date.now() > deadline) throw new Error('log line not seen in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
