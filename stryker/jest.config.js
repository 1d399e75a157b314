// Used only by Stryker (stryker/base.mjs sets testMatch per group): one project, since Stryker's jest
// runner does not pick tests across `projects`, with the same transform and setup as jest.config.js.
// tsconfig.json has isolatedModules, so ts-jest transpiles each file alone, without type-checking
// (the TypeScript checker does that, once per mutant).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/failOnConsole.ts'],
  testTimeout: 30000,
};
