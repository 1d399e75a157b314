import { Writable } from 'node:stream';
import pino from 'pino';
import { createFormatError } from '../../../platform/createFormatError';
import { ErrorCode } from '../../../platform/ErrorCode';
import { UpstreamError } from '../../../upstream/UpstreamError';

// A coded failure is logged once where it is answered: at warn, except our breaker's refusals, which
// metrics count one by one and whose cause (the breaker opening) was logged once already.
function capture() {
  const lines: { level: number; msg: string; upstream?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, sink) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

it('logs an upstream failure at warn and a breaker refusal at debug, answering both with their code', async () => {
  const { lines, logger } = capture();
  const format = createFormatError(logger);
  const failed = new UpstreamError('legacy-ecommerce', ErrorCode.UPSTREAM_ERROR, 'legacy-ecommerce failed', {
    status: 503,
  });
  const refused = new UpstreamError(
    'legacy-ecommerce',
    ErrorCode.UPSTREAM_UNAVAILABLE,
    'legacy-ecommerce is unavailable (circuit open)',
    { breakerOpen: true, neverSent: true },
  );
  expect(format({ message: failed.message }, failed).extensions?.code).toBe(ErrorCode.UPSTREAM_ERROR);
  expect(format({ message: refused.message }, refused).extensions?.code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
  await flush();
  expect(lines.map((l) => [l.level, l.msg])).toEqual([
    [40, 'legacy-ecommerce failed'],
    [20, 'legacy-ecommerce is unavailable (circuit open)'],
  ]);
});

it('gives a breaker refusal a one-line stack, and keeps the full stack of every other failure', () => {
  const refused = new UpstreamError('catalog', ErrorCode.UPSTREAM_UNAVAILABLE, 'catalog is unavailable', {
    breakerOpen: true,
  });
  const failed = new UpstreamError('catalog', ErrorCode.UPSTREAM_TIMEOUT, 'catalog timed out');
  expect(refused.stack).toBe('UpstreamError: catalog is unavailable');
  expect(refused.logQuietly).toBe(true);
  expect(failed.stack?.split('\n').length).toBeGreaterThan(1);
  expect(failed.logQuietly).toBe(false);
});
