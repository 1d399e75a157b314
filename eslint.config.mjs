import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
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
  {
    // Resolvers talk to ports, never to adapters: a backend swap must not touch them.
    files: ['subgraphs/*/resolvers.ts', 'subgraphs/*/resolvers/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/backends/**'] }] },
  },
);
