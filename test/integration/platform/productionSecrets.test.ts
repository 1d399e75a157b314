import { randomBytes } from 'node:crypto';
import { DEV_SUBGRAPH_SHARED_SECRET } from '../../../platform/http/subgraphSecret';
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

// Issue 20 §5: it started with the development subgraph secret `npm start` prints, and with 32 × `a`.
describe('the gateway process with NODE_ENV=production and a published or weak secret', () => {
  it.each([
    [
      'SUBGRAPH_SHARED_SECRET',
      DEV_SUBGRAPH_SHARED_SECRET,
      /SUBGRAPH_SHARED_SECRET="<redacted>": is a value this repository publishes/,
    ],
    ['JWT_SECRET', 'a'.repeat(32), /JWT_SECRET="<redacted>": has 1 distinct character/],
  ])('refuses %s, naming it, without printing the value', async (name, value, message) => {
    const refused = spawnComponent('gateway/main.js', {
      NODE_ENV: 'production',
      GATEWAY_PORT: '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
      [name]: value,
    });
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(message);
    expect(refused.stderr()).not.toContain(value);
    expect(refused.logs.some((line) => line.msg === 'gateway listening')).toBe(false);
  });
});
