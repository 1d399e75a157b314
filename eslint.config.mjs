import tseslint from 'typescript-eslint';

/**
 * The floors of docs/architecture.md, bottom to top: each folder may import the folders below it, never
 * one above. Each entry names what a folder must NOT import. An import is matched on its specifier
 * (every import in this repo is relative), so `../../upstream/Upstream` from `platform/http/` is caught.
 */
const ABOVE = {
  platform: [
    'upstream',
    'idempotency',
    'schema',
    'subgraphs',
    'gateway',
    'simulators',
    'scripts',
    'bench',
    'test',
  ],
  upstream: ['idempotency', 'schema', 'subgraphs', 'gateway', 'simulators', 'scripts', 'bench', 'test'],
  idempotency: ['schema', 'subgraphs', 'gateway', 'simulators', 'scripts', 'bench', 'test'],
  schema: ['subgraphs', 'gateway', 'simulators', 'scripts', 'bench', 'test'],
  subgraphs: ['gateway', 'simulators', 'scripts', 'bench', 'test'],
  // The gateway reaches the subgraphs over HTTP, or in process through platform/graphql's
  // InProcessSubgraph (colocated/ wires the two); what both sides must agree on (the shared secret,
  // forwarded headers) lives in platform/.
  gateway: ['subgraphs', 'simulators', 'scripts', 'bench', 'test'],
  // A simulator is a claim about a real service: it borrows nothing of the product it stands in for.
  simulators: ['upstream', 'idempotency', 'schema', 'subgraphs', 'gateway', 'scripts', 'bench', 'test'],
};

const floor = (folder) => ({
  regex: `^(\\.\\./)+(${ABOVE[folder].join('|')})(/|$)`,
  message: `${folder}/ imports only the floors below it (docs/architecture.md)`,
});

/**
 * The same order between the rooms of subgraphs/orders/ (docs/architecture.md): the domain knows no
 * other room, and the adapters (backends/) know nothing of what composes or uses them.
 */
const ROOMS_ABOVE = {
  domain: [
    'port',
    'config',
    'budget',
    'backends',
    'layers',
    'eligibility',
    'mutations',
    'queue',
    'worker',
    'plugins',
  ],
  backends: ['layers', 'eligibility', 'mutations', 'queue', 'worker', 'plugins'],
};

const room = (name) => ({
  regex: `^(\\.\\./)+(${ROOMS_ABOVE[name].join('|')})/`,
  message: `subgraphs/orders/${name}/ imports only the rooms below it (docs/architecture.md)`,
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/results/**',
      '.stryker-tmp/**',
      'test/mutation/reports/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only main.ts files and config parsing read the environment.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read env in main.ts only' },
      ],
    },
  },
  {
    files: ['**/main.ts', 'scripts/**', 'bench/**', 'test/**', '.ci/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests read raw upstream JSON to compare against; typing every REST shape there adds nothing.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // scripts/, colocated/, bench/ and test/ stand on every floor: they may import anything.
  ...Object.keys(ABOVE).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [floor(folder)] }] },
  })),
  // A later no-restricted-imports replaces an earlier one for the same file, so each repeats the floor.
  ...Object.keys(ROOMS_ABOVE).map((name) => ({
    files: [`subgraphs/orders/${name}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [floor('subgraphs'), room(name)] }] },
  })),
  {
    // Resolvers talk to ports, never to adapters: a backend swap must not touch them.
    files: ['subgraphs/*/resolvers.ts', 'subgraphs/*/resolvers/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [floor('subgraphs'), { group: ['**/backends/**'] }] }],
    },
  },
);
