/**
 * The Express 5 pass. `npm test` runs the suite twice: with this config, then on Express 4 with
 * jest.express4.config.js (which lists the Express-independent files it leaves to this pass).
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'express 5',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
};
