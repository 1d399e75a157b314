import { parseColocatedConfig } from '../../../colocated/colocatedConfig';
import { configError } from '../../helpers/configError';

const UPSTREAMS = { LEGACY_ECOMMERCE_URL: 'http://127.0.0.1:1', DISCOVERY_URL: 'http://127.0.0.1:2' };

describe('COLOCATED_WORKERS and REDIS_URL', () => {
  it.each(['2', '8', '64'])('refuses %s workers without REDIS_URL, naming both variables', (workers) => {
    const message = configError(() => parseColocatedConfig({ ...UPSTREAMS, COLOCATED_WORKERS: workers }));
    expect(message).toContain(`COLOCATED_WORKERS=${workers}`);
    expect(message).toContain('REDIS_URL');
  });

  it('an empty REDIS_URL is unset, and refused the same way', () => {
    expect(
      configError(() => parseColocatedConfig({ ...UPSTREAMS, COLOCATED_WORKERS: '2', REDIS_URL: ' ' })),
    ).toContain('needs REDIS_URL');
  });

  it('accepts several workers sharing a Redis, and one worker without', () => {
    expect(
      parseColocatedConfig({ ...UPSTREAMS, COLOCATED_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }),
    ).toMatchObject({ workers: 2, gateway: { redisUrl: 'redis://127.0.0.1:6379' } });
    expect(parseColocatedConfig({ ...UPSTREAMS, COLOCATED_WORKERS: '1' })).toMatchObject({ workers: 1 });
    expect(parseColocatedConfig(UPSTREAMS)).toMatchObject({ workers: 1, gateway: { redisUrl: null } });
  });
});
