import { Writable } from 'node:stream';
import { createLogger } from '../../../platform/createLogger';
import {
  MAX_LOG_ARRAY_ITEMS,
  MAX_LOG_VALUE_BYTES,
  boundedLogString,
  boundLogFields,
} from '../../../platform/boundLogFields';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('boundedLogString', () => {
  it('keeps a value that fits, byte for byte', () => {
    const fits = 'a'.repeat(MAX_LOG_VALUE_BYTES);
    expect(boundedLogString(fits)).toBe(fits);
    expect(boundedLogString('course-v1:edX+DemoX+Demo_Course')).toBe('course-v1:edX+DemoX+Demo_Course');
  });

  it('cuts a 900 KB value to the limit, marker included, saying how large it was', () => {
    const cut = boundedLogString('x'.repeat(900_000));
    expect(bytes(cut)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    expect(cut).toMatch(/^x+…\[900000 bytes\]$/);
  });

  it('never cuts a character in half', () => {
    // 3-byte and 4-byte characters, so the cut lands inside one whatever the limit.
    for (const limit of [100, 101, 102, 103]) {
      const cut = boundedLogString('€😀'.repeat(1000), limit);
      expect(bytes(cut)).toBeLessThanOrEqual(limit);
      expect(cut).not.toContain('\uFFFD');
      expect(cut.endsWith(`…[${bytes('€😀'.repeat(1000))} bytes]`)).toBe(true);
    }
  });
});

describe('boundLogFields', () => {
  it('bounds strings at every level, cuts long arrays and leaves errors and numbers alone', () => {
    const error = new Error('boom');
    const out = boundLogFields({
      orderNumber: 'E'.repeat(200_000),
      n: 5,
      detail: { cause: 'c'.repeat(5000) },
      list: Array.from({ length: 30 }, () => 'é'.repeat(600)),
      err: error,
    });
    expect(bytes(out.orderNumber)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    expect(out.n).toBe(5);
    expect(bytes(out.detail.cause)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    expect(out.list).toHaveLength(MAX_LOG_ARRAY_ITEMS + 1);
    expect(out.list.at(-1)).toBe('…[10 more]');
    expect(out.err).toBe(error);
  });
});

describe('createLogger', () => {
  it('bounds every field and the message of every line it writes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('test', 'info', sink);
    logger.info({ orderNumber: 'E'.repeat(900_000), user: 'learner1' }, `refused ${'m'.repeat(5000)}`);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, string>;
    expect(bytes(line.orderNumber!)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    expect(line.orderNumber).toMatch(/…\[900000 bytes\]$/);
    expect(bytes(line.msg!)).toBeLessThanOrEqual(MAX_LOG_VALUE_BYTES);
    expect(line.user).toBe('learner1');
    expect(bytes(lines[0]!)).toBeLessThan(3 * 1024);
  });
});
