import { parseGatewayConfig } from '../../gateway/gatewayConfig';
import type { Env } from '../../platform/config/parseEnv';
import { DEV_SUBGRAPH_SHARED_SECRET, subgraphSecretMatches } from '../../platform/http/subgraphSecret';
import { parseCatalogConfig } from '../../subgraphs/catalog/catalogConfig';
import { parseOrdersConfig } from '../../subgraphs/orders/config/ordersConfig';
import { parseSubgraphSecurityConfig } from '../../subgraphs/subgraphSecurityConfig';
import { configError } from '../helpers/configError';

// SUBGRAPH_SHARED_SECRET and the SUBGRAPH_* switches, as each component parses them.

/** Everything else the gateway needs in production, valid, so only the variable under test can fail. */
const PRODUCTION: Env = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-sized-jwt-secret-for-unit-tests',
};
// 32 bytes of a generated-looking value: production also refuses few distinct characters.
const SECRET_32 = 'q7Vd2mXkP9sLw4HcT1nRb8ZyE3gJf6Ua';

// Both subgraphs take these variables from parseSubgraphSecurityConfig (checked below), so it is tested
// on its own: a subgraph's other production requirements cannot get in the way of the message.
const COMPONENTS = [
  ['gateway', (env: Env) => parseGatewayConfig(env).subgraphSecret],
  ['subgraphs', (env: Env) => parseSubgraphSecurityConfig(env).sharedSecret],
] as const;

describe.each(COMPONENTS)('SUBGRAPH_SHARED_SECRET at the %s', (_name, secretOf) => {
  it('refuses to start in production without it, naming the variable', () => {
    expect(configError(() => secretOf(PRODUCTION))).toMatch(
      /SUBGRAPH_SHARED_SECRET="": must be set in production/,
    );
  });

  it('refuses one shorter than 32 bytes in production', () => {
    const message = configError(() => secretOf({ ...PRODUCTION, SUBGRAPH_SHARED_SECRET: 'y'.repeat(20) }));
    expect(message).toMatch(/SUBGRAPH_SHARED_SECRET=.*at least 32 bytes/);
    expect(secretOf({ ...PRODUCTION, SUBGRAPH_SHARED_SECRET: SECRET_32 })).toBe(SECRET_32);
  });

  it('falls back to the development default outside production', () => {
    expect(secretOf({})).toBe(DEV_SUBGRAPH_SHARED_SECRET);
  });
});

describe('the subgraphs’ limits and introspection', () => {
  const subgraph = parseSubgraphSecurityConfig;

  it('both subgraphs parse them, from the same variables', () => {
    const env = {
      SUBGRAPH_SHARED_SECRET: SECRET_32,
      SUBGRAPH_MAX_ALIASES: '3',
      SUBGRAPH_INTROSPECTION: 'false',
    };
    const expected = subgraph(env);
    expect(expected).toMatchObject({
      sharedSecret: SECRET_32,
      introspection: false,
      limits: { maxAliases: 3 },
    });
    expect(parseOrdersConfig({ LEGACY_ECOMMERCE_URL: 'http://l', ...env }).security).toEqual(expected);
    expect(parseCatalogConfig({ DISCOVERY_URL: 'http://d', ...env }).security).toEqual(expected);
  });

  it('default to the gateway’s limits, and read their own variables', () => {
    expect(subgraph({}).limits).toEqual(parseGatewayConfig({}).limits);
    expect(
      subgraph({
        SUBGRAPH_MAX_DEPTH: '4',
        SUBGRAPH_MAX_ALIASES: '0',
        SUBGRAPH_MAX_TOKENS: '300',
        SUBGRAPH_MAX_DIRECTIVES: '2',
        SUBGRAPH_MAX_SPREADS: '7',
      }).limits,
    ).toEqual({ maxDepth: 4, maxAliases: 0, maxTokens: 300, maxDirectives: 2, maxSpreads: 7 });
    expect(subgraph({}).limits).toMatchObject({ maxDirectives: 50, maxSpreads: 100 });
    expect(configError(() => subgraph({ SUBGRAPH_MAX_DEPTH: '0' }))).toMatch(/SUBGRAPH_MAX_DEPTH/);
    expect(configError(() => subgraph({ SUBGRAPH_MAX_SPREADS: '-1' }))).toMatch(/SUBGRAPH_MAX_SPREADS/);
    expect(configError(() => subgraph({ SUBGRAPH_MAX_DIRECTIVES: 'x' }))).toMatch(/SUBGRAPH_MAX_DIRECTIVES/);
  });

  it('turn introspection off in production unless SUBGRAPH_INTROSPECTION says otherwise', () => {
    const production = { ...PRODUCTION, SUBGRAPH_SHARED_SECRET: SECRET_32 };
    expect(subgraph(production).introspection).toBe(false);
    expect(subgraph({ ...production, SUBGRAPH_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(subgraph({}).introspection).toBe(true);
    expect(subgraph({ SUBGRAPH_INTROSPECTION: 'false' }).introspection).toBe(false);
  });
});

describe('subgraphSecretMatches', () => {
  it('accepts exactly the secret, once', () => {
    expect(subgraphSecretMatches(SECRET_32, SECRET_32)).toBe(true);
    for (const given of [
      undefined,
      '',
      SECRET_32.slice(0, 31),
      `${SECRET_32}x`,
      `${SECRET_32} `,
      [SECRET_32, SECRET_32],
    ])
      expect(subgraphSecretMatches(given, SECRET_32)).toBe(false);
  });
});
