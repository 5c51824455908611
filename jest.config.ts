import type { Config } from 'jest';

// Tests are written in TypeScript and run from the compiled output (`npm test` builds first):
// worker threads, child processes and the tests then all run the same JavaScript.
const common = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['js', 'json'],
  testPathIgnorePatterns: ['/node_modules/'],
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/dist/**/*.test.js'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.js$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/dist/**/*.int.test.js'],
      globalSetup: '<rootDir>/dist/libs/testing/src/jest/global-setup.js',
      globalTeardown: '<rootDir>/dist/libs/testing/src/jest/global-teardown.js',
      slowTestThreshold: 30,
    },
  ],
  // Integration tests share one broker; two cores: keep the worker count low.
  maxWorkers: 2,
  testTimeout: 120_000,
};

export default config;
