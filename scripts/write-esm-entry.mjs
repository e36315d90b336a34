// Writes dist/index.mjs: an ES module that re-exports the CommonJS build by name, so
// `import { PrometheusMetrics } from 'spectrometer'` and `require('spectrometer')` share one
// copy of the code (and one set of registries).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const names = Object.keys(require('../dist/index.js')).filter((n) => n !== 'default');
const body = [
  "import cjs from './index.js';",
  `export const { ${names.join(', ')} } = cjs;`,
  'export default cjs;',
  '',
].join('\n');
writeFileSync(new URL('../dist/index.mjs', import.meta.url), body);
