import { configError } from '../../helpers/configError';
import { parseMutationsConfig } from '../../../subgraphs/orders/config/mutationsConfig';

describe('REFUND_WORKER_PORT', () => {
  it('defaults to 4004 and accepts 0 (a free port, for tests)', () => {
    expect(parseMutationsConfig({}).workerPort).toBe(4004);
    expect(parseMutationsConfig({ REFUND_WORKER_PORT: '0' }).workerPort).toBe(0);
    expect(parseMutationsConfig({ REFUND_WORKER_PORT: '9464' }).workerPort).toBe(9464);
  });

  it.each(['70000', '-1', '40.5', 'http'])('refuses %s, naming the variable', (value) => {
    expect(configError(() => parseMutationsConfig({ REFUND_WORKER_PORT: value }))).toContain(
      `REFUND_WORKER_PORT="${value}"`,
    );
  });
});
