/**
 * The Express 4 pass (`npm test` runs it after the Express 5 pass of jest.config.js).
 * `require('express')` gives Express 4 (the `express4` dev alias) to the tests, to src/ and to
 * packages they load through moduleNameMapper, and to every child process (CLI, examples,
 * cluster workers, README snippets) through test/helpers/express4-preload.cjs. Tests of an
 * Express 5-only behaviour say so with test/helpers/express-version.ts.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

// Files that build no Express app (spec loading, x-metrics and SLO compiling, rules and
// dashboards, the route table, CLI help and lint, the package and type surface, source checks):
// the Express 5 pass covers them. Files are named one by one, so a new file runs on both.
const EXPRESS_INDEPENDENT = [
  '<rootDir>/test/openapi/(check-paths|convert-swagger2|dereference)\\.test\\.ts$',
  '<rootDir>/test/openapi/(derive-operation-id|express-path|load-spec)\\.test\\.ts$',
  '<rootDir>/test/x-metrics/(cli|compile-x-metrics|cross-checks|describe|invalid-fixtures)\\.test\\.ts$',
  '<rootDir>/test/x-metrics/(promtool|resolve-source|schema)\\.test\\.ts$',
  '<rootDir>/test/slo/(cli|compile-slos|dashboard|rules)\\.test\\.ts$',
  '<rootDir>/test/api/route-table\\.test\\.ts$',
  '<rootDir>/test/adapters/private-internals\\.test\\.ts$',
  '<rootDir>/test/(cli-help|cli-lint|package|type-surface|import-cycles)\\.test\\.ts$',
];

// Inherited by the test workers and everything they start; the workers' own module registry is
// jest's, so the preload changes nothing in them.
const preload = JSON.stringify(require.resolve('./test/helpers/express4-preload.cjs'));
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${preload}`]
  .filter(Boolean)
  .join(' ');

module.exports = {
  ...base,
  displayName: 'express 4',
  moduleNameMapper: { '^express$': '<rootDir>/node_modules/express4' },
  testPathIgnorePatterns: ['/node_modules/', ...EXPRESS_INDEPENDENT],
};
