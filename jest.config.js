// Unit tests are pure; integration, contract and chaos tests start real servers on 127.0.0.1:0.
/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/failOnConsole.ts'],
  ...extra,
});
module.exports = {
  projects: [
    project('unit'),
    project('integration'),
    project('contract'),
    project('chaos'),
    project('e2e'),
    project('scale'),
  ],
  testTimeout: 30000,
};
