import { groups } from './groups.mjs';

/**
 * The Stryker config for one group: its files mutated, only its tests run, per-test coverage so each
 * mutant runs just the tests that reach it, and an incremental file so a re-run retests only the
 * mutants whose code or tests changed.
 * @param {string} name a key of groups.mjs
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
function concurrency() {
  // This config is the entry point Stryker loads: there is no main.ts to hand it the environment.
  // eslint-disable-next-line no-restricted-properties
  const raw = process.env.STRYKER_CONCURRENCY ?? '1';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new Error(`STRYKER_CONCURRENCY: "${raw}" is not a whole number from 1 to 64`);
  return value;
}

export function configFor(name) {
  const group = groups[name];
  if (!group) throw new Error(`unknown mutation group "${name}"`);
  return {
    testRunner: 'jest',
    checkers: ['typescript'],
    tsconfigFile: `stryker/tsconfig.${name}.json`,
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker'],
    mutate: group.mutate,
    coverageAnalysis: 'perTest',
    jest: {
      projectType: 'custom',
      configFile: 'stryker/jest.config.js',
      config: { testMatch: group.tests.map((file) => `<rootDir>/${file}`) },
      enableFindRelatedTests: false,
    },
    // Two cores shared with other work: one test process by default, and timeouts generous enough for
    // real servers. On a machine of its own, STRYKER_CONCURRENCY=2 (or more) runs test processes side by side.
    concurrency: concurrency(),
    timeoutMS: group.timeoutMs ?? 15000,
    timeoutFactor: 2,
    // The initial run starts every test's servers; on a busy machine that outlasts the 5-minute default.
    dryRunTimeoutMinutes: 20,
    incremental: true,
    incrementalFile: `test/mutation/incremental/${name}.json`,
    reporters: ['json', 'clear-text', 'progress'],
    jsonReporter: { fileName: `test/mutation/reports/${name}.json` },
    ignorePatterns: [
      '/dist',
      '/coverage',
      '/.stryker-tmp',
      '/bench/results',
      '/test/chaos/results',
      '/test/e2e/screenshots',
      '/test/mutation/reports',
    ],
    // A directory per group, so two groups may run side by side.
    tempDirName: `.stryker-tmp/${name}`,
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: null },
  };
}
