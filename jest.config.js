// Unit tests are pure; integration, contract and chaos tests start real servers on 127.0.0.1:0.
/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // jose 6 ships ES modules only. Node loads it through require(esm) (20.19+), Jest's own module
    // system does not (before Node 24.9): its files are turned into CommonJS for the tests.
    '/node_modules/jose/.+\\.js$': [
      'babel-jest',
      { plugins: ['@babel/plugin-transform-modules-commonjs'], babelrc: false, configFile: false },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
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
  // On a 2-core box Jest runs the files one after another inside its own process ("in band"), and
  // that process keeps what each file loaded (the Apollo stack, ~25 MB a file): its heap passed 3 GB
  // of 4 GB by the chaos experiments, near the end, which then ran under full-heap GCs (a no-fault
  // phase at p99 2–6 s; T1-T2, T3 and T7 failed, in CI and here). With a limit Jest runs the files in
  // a worker process instead and restarts it between files once its heap passes the limit.
  workerIdleMemoryLimit: '1GB',
};
