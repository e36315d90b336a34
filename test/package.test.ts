import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as api from '../src';
import { ERROR_CODES, VERSION } from '../src';

// The test suite runs after `npm run build` (see the "test" script), so dist/ is current.
const run = (args: string[]) =>
  execFileSync(process.execPath, args, { encoding: 'utf8', cwd: `${__dirname}/..` });

const PUBLIC_NAMES = [
  'CLUSTER_WORKERS_METRIC',
  'ClusterAggregator',
  'DEFAULT_CLUSTER_TIMEOUT_MS',
  'ERROR_CODES',
  'HttpProblem',
  'NO_PREFIX',
  'OPENMETRICS_TEXT',
  'PROMETHEUS_TEXT',
  'PrometheusMetrics',
  'SpectrometerError',
  'UNMATCHED',
  'VERSION',
  'aggregateFamilies',
  'compileSlos',
  'compileXMetrics',
  'createApi',
  'describeMetrics',
  'generateDashboard',
  'generateRuleFile',
  'generateRules',
  'isReply',
  'loadSpec',
  'monitor',
  'noContent',
  'reply',
  'shareWorkerMetrics',
  'startClusterMetricsServer',
];

describe('package', () => {
  it('exports exactly the public surface', () => {
    expect(Object.keys(api).sort()).toEqual(PUBLIC_NAMES);
  });

  it('is usable from CommonJS require', () => {
    const out = run([
      '-e',
      "const s = require('spectrometer'); console.log(Object.keys(s).sort().join(','))",
    ]);
    expect(out.trim()).toBe(PUBLIC_NAMES.join(','));
  });

  it('is usable from ESM import, sharing the CommonJS copy', () => {
    const script = [
      "import { PrometheusMetrics, createApi } from 'spectrometer';",
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      "console.log(PrometheusMetrics === require('spectrometer').PrometheusMetrics, typeof createApi);",
    ].join('\n');
    expect(run(['--input-type=module', '-e', script]).trim()).toBe('true function');
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  it('documents every error code in the README', () => {
    const readme = readFileSync(`${__dirname}/../README.md`, 'utf8');
    const missing = Object.keys(ERROR_CODES).filter((code) => !readme.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('ships the x-metrics JSON Schema at the documented export', () => {
    const schema = run([
      '-e',
      "console.log(require.resolve('spectrometer/x-metrics.schema.json'))",
    ]);
    expect(schema.trim()).toMatch(/schema\/x-metrics\.schema\.json$/);
  });

  it('ships the x-slo JSON Schema beside it', () => {
    const schema = run(['-e', "console.log(require.resolve('spectrometer/x-slo.schema.json'))"]);
    expect(schema.trim()).toMatch(/schema\/x-slo\.schema\.json$/);
  });
});
