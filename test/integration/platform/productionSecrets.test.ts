import { randomBytes } from 'node:crypto';
import { spawnComponent } from '../../helpers/spawnComponent';

// As deployed: the image sets NODE_ENV=production and the gateway reads its secrets from the
// environment. Without JWT_SECRET it once started on the public development secret, silently.
describe('the gateway process with NODE_ENV=production', () => {
  it('refuses to start without JWT_SECRET, naming it, and starts once it is set', async () => {
    const refused = spawnComponent('gateway/main.js', { NODE_ENV: 'production', GATEWAY_PORT: '0' });
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(/JWT_SECRET="": must be set in production/);
    expect(refused.logs.some((line) => line.msg === 'gateway listening')).toBe(false);

    const started = spawnComponent('gateway/main.js', {
      NODE_ENV: 'production',
      GATEWAY_PORT: '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
    });
    try {
      await started.waitFor('gateway listening');
    } finally {
      await started.kill();
    }
  });
});
