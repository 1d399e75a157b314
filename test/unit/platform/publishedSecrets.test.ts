import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { LMS_DEV_CLIENT } from '../../../platform/auth/lmsDevClient';
import { DEV_JWT_SECRET, parseJwtEnv } from '../../../platform/config/jwtEnv';
import { PUBLISHED_SECRETS, secretWeakness } from '../../../platform/config/publishedSecrets';
import { DEV_SUBGRAPH_SHARED_SECRET } from '../../../platform/http/subgraphSecret';
import { LMS_DEV_SERVICE_CLIENT } from '../../../simulators/lms/createLmsOAuthSimulator';
import { VENDOR_DEV_PROJECT } from '../../../simulators/vendor/createVendorSimulator';
import { parseVendorConfig } from '../../../subgraphs/orders/config/vendorConfig';
import { parseServiceIdentityConfig } from '../../../subgraphs/serviceIdentity/serviceIdentityConfig';
import { parseSubgraphSecurityConfig } from '../../../subgraphs/subgraphSecurityConfig';
import { configError } from '../../helpers/configError';

// Issue 20 §5: production started with SUBGRAPH_SHARED_SECRET set to the development value `npm start`
// prints, with the LMS development client's secret, and with JWT_SECRET of 32 × `a`. Every secret
// variable goes through secretEnv (platform/config), so each class is checked here through the parser
// of a component that reads it.
const PRODUCTION = { NODE_ENV: 'production' };
const GOOD = (): string => randomBytes(32).toString('hex');
const VENDOR = {
  VENDOR_API_URL: 'https://api.example.org',
  VENDOR_AUTH_URL: 'https://auth.example.org',
  VENDOR_PROJECT_KEY: 'edx-prod',
  VENDOR_CLIENT_ID: 'orders',
  VENDOR_RECEIPT_BASE_URL: 'https://shop.example.org/receipt/',
};

/** One parser per secret variable, given everything else production needs. */
const VARIABLES: [string, (value: string) => unknown][] = [
  ['JWT_SECRET', (value) => parseJwtEnv({ ...PRODUCTION, JWT_SECRET: value })],
  [
    'SUBGRAPH_SHARED_SECRET',
    (value) => parseGatewayConfig({ ...PRODUCTION, JWT_SECRET: GOOD(), SUBGRAPH_SHARED_SECRET: value }),
  ],
  [
    'SUBGRAPH_SHARED_SECRET',
    (value) => parseSubgraphSecurityConfig({ ...PRODUCTION, SUBGRAPH_SHARED_SECRET: value }),
  ],
  [
    'LMS_OAUTH2_CLIENT_SECRET',
    (value) =>
      parseServiceIdentityConfig({
        ...PRODUCTION,
        LMS_OAUTH2_URL: 'https://lms.example.org/oauth2',
        LMS_OAUTH2_CLIENT_ID: 'switchyard-backend-service-key',
        LMS_OAUTH2_CLIENT_SECRET: value,
      }),
  ],
  [
    'VENDOR_CLIENT_SECRET',
    (value) => parseVendorConfig({ ...PRODUCTION, ...VENDOR, VENDOR_CLIENT_SECRET: value }, 'vendor'),
  ],
];

/** The message start-up stops with, naming the variable, or null if the value is accepted. */
function refusal(parse: (value: string) => unknown, value: string): string | null {
  try {
    parse(value);
    return null;
  } catch {
    return configError(() => parse(value));
  }
}

const PUBLISHED: [string, string][] = [
  ['the development JWT secret', DEV_JWT_SECRET],
  ['the development subgraph secret (`npm start` prints it)', DEV_SUBGRAPH_SHARED_SECRET],
  ['the LMS development client secret', LMS_DEV_CLIENT.clientSecret],
  ['the vendor simulator client secret', VENDOR_DEV_PROJECT.clientSecret],
  ['the Secret template placeholder', 'CHANGE_ME'],
];
const WEAK: [string, string][] = [
  ['32 × a', 'a'.repeat(32)],
  ['two characters alternating', 'ab'.repeat(20)],
  ['seven distinct characters', '0123456'.repeat(6)],
  ['a word repeated', 'switchyard'.repeat(4)],
  ['a longer phrase repeated', 'correct-horse!'.repeat(3)],
];

describe.each(VARIABLES)('%s in production', (name, parse) => {
  it.each(PUBLISHED)('refuses %s, naming the variable and not the value', (_label, value) => {
    const message = refusal(parse, value);
    expect(message).toContain(`${name}="<redacted>"`);
    expect(message).not.toContain(value);
  });

  it.each(WEAK)('refuses an obviously weak value: %s', (_label, value) => {
    expect(refusal(parse, value)).toMatch(new RegExp(`${name}=.*(distinct character|repeated)`));
  });

  it('accepts a generated one (hex or base64)', () => {
    expect(refusal(parse, GOOD())).toBeNull();
    expect(refusal(parse, randomBytes(32).toString('base64'))).toBeNull();
  });
});

describe('outside production', () => {
  it('keeps the development defaults, so `npm start` and the tests need no setup', () => {
    expect(parseJwtEnv({}).secret).toBe(DEV_JWT_SECRET);
    expect(parseSubgraphSecurityConfig({}).sharedSecret).toBe(DEV_SUBGRAPH_SHARED_SECRET);
    expect(parseSubgraphSecurityConfig({ SUBGRAPH_SHARED_SECRET: 'a'.repeat(32) }).sharedSecret).toBe(
      'a'.repeat(32),
    );
  });
});

describe('secretWeakness', () => {
  it('never refuses a generated secret of 16 bytes or more (hex or base64)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        // Random bytes with a repeated period or few distinct symbols are vanishingly rare, but
        // fast-check also tries the degenerate arrays (all zeros): those are weak, and said so.
        const degenerate = new Set(bytes).size < 4;
        if (degenerate) return;
        expect(secretWeakness(buffer.toString('hex'))).toBeNull();
        expect(secretWeakness(buffer.toString('base64'))).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});

// Every value the repository shows for a secret variable — in the docs, the deploy manifests, the
// examples, the READMEs, and the simulators' development clients — must be one production refuses:
// a value added to a doc tomorrow fails here until it is refused.
describe('the values this repository publishes', () => {
  const ROOT = join(__dirname, '..', '..', '..');
  const SECRET_VARIABLES =
    /\b(JWT_SECRET|SUBGRAPH_SHARED_SECRET|LMS_OAUTH2_CLIENT_SECRET|VENDOR_CLIENT_SECRET|clientSecret)\b["']?\s*[:=]\s*["']?([^\s"'\\`,;)]+)/g;
  const files = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules') return [];
      return statSync(join(ROOT, path)).isDirectory() ? files(path) : [path];
    });
  const published = [
    ...['docs', 'deploy', 'examples'].flatMap(files),
    'README.md',
    'simulators/README.md',
    'deploy/README.md',
  ]
    .filter((path) => /\.(md|ya?ml|ts|tsx|json|env)$|Dockerfile$/.test(path))
    .flatMap((path) =>
      [...readFileSync(join(ROOT, path), 'utf8').matchAll(SECRET_VARIABLES)].map((m) => ({
        where: `${relative(ROOT, join(ROOT, path))}: ${m[1]}`,
        value: m[2]!,
      })),
    )
    // Placeholders and shell that produce a value, not values: `$(openssl rand -hex 32)`, `<secret>`, `…`.
    .filter(({ value }) => !/^[$<…]|^\.\.\.$|^string$/.test(value));

  it('finds the values the docs and manifests show (the scan works)', () => {
    expect(published.map((p) => p.value)).toEqual(
      expect.arrayContaining(['CHANGE_ME', VENDOR_DEV_PROJECT.clientSecret]),
    );
  });

  it('refuses every one of them in production', () => {
    const values = [
      ...published,
      { where: 'simulators/vendor: VENDOR_DEV_PROJECT', value: VENDOR_DEV_PROJECT.clientSecret },
      { where: 'simulators/lms: LMS_DEV_SERVICE_CLIENT', value: LMS_DEV_SERVICE_CLIENT.clientSecret },
      { where: 'platform/http/subgraphSecret.ts', value: DEV_SUBGRAPH_SHARED_SECRET },
    ];
    const accepted = values.filter(({ value }) => refusal(VARIABLES[1]![1], value) === null);
    expect(accepted).toEqual([]);
  });

  it('lists each development default once, lower-cased (compared without case)', () => {
    expect(PUBLISHED_SECRETS.size).toBe(PUBLISHED.length);
    for (const [, value] of PUBLISHED) expect(PUBLISHED_SECRETS.has(value.toLowerCase())).toBe(true);
  });
});
