import path from 'node:path';
import type { Config } from 'jest';

/**
 * Jest configuration of the container tests only (`npm run test:container`, through
 * scripts/container/container-test.sh, which builds the images first). Their files are named
 * `*.container-test.ts`, so neither project of the root jest.config.ts (`*.test.js`, `*.int.test.js`)
 * picks them up: they need root, podman and minutes. They share the harness broker of the
 * integration tests (global setup), and run one file at a time: each starts containers on a 2-core box.
 */
const rootDir = path.resolve(__dirname, '..', '..', '..', '..', '..');

const config: Config = {
  rootDir,
  testEnvironment: 'node',
  moduleFileExtensions: ['js', 'json'],
  testMatch: ['<rootDir>/dist/services/sentiment-worker/test/container/**/*.container-test.js'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/dist/libs/testing/src/jest/global-setup.js',
  globalTeardown: '<rootDir>/dist/libs/testing/src/jest/global-teardown.js',
  maxWorkers: 1,
  testTimeout: 300_000,
  slowTestThreshold: 60,
  verbose: true,
};

export default config;
