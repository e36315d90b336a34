// One server, three variants measured side by side by bench/metrics-bench.mjs:
//   bare         Express alone
//   spectrometer new PrometheusMetrics(app) with its defaults
//   bundle       express-prom-bundle, configured like the shared peers (method, path, status)
// and two diagnostic variants for bench/profile-metrics.mjs or compare.mjs by hand:
//   spectrometer-noproc (no process metrics) and loaded (package required, not used).
// Usage: PORT=3000 node bench/servers/metrics-server.js <variant>
'use strict';
const express = require('express');

const variant = process.argv[2] || 'bare';
const port = Number(process.env.PORT || 3000);
const app = express();
// Same settings as the shared peer servers, so the numbers compare with theirs.
app.disable('x-powered-by');
app.disable('etag');

if (variant === 'spectrometer') {
  const { PrometheusMetrics } = require('spectrometer');
  new PrometheusMetrics(app);
} else if (variant === 'spectrometer-noproc') {
  // Diagnostic: the same without prom-client's process metrics.
  const { PrometheusMetrics } = require('spectrometer');
  new PrometheusMetrics(app, { processMetrics: false });
} else if (variant === 'loaded') {
  // Diagnostic: the package loaded (its whole dependency tree in the heap) but not used.
  require('spectrometer');
} else if (variant === 'bundle') {
  const promBundle = require('express-prom-bundle');
  app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
} else if (variant !== 'bare') {
  console.error(
    `unknown variant "${variant}": expected bare, spectrometer, bundle, spectrometer-noproc or loaded`,
  );
  process.exit(2);
}

app.use(express.json());
app.get('/pets/:id', (req, res) => {
  res.json({ id: Number(req.params.id), name: 'rex', tag: 'dog' });
});
app.post('/pets', (req, res) => {
  res.status(201).json({ id: 42, name: req.body.name, tag: req.body.tag });
});

// Exit normally when stopped, so that `node --cpu-prof` (bench/profile-metrics.mjs) writes its profile.
process.on('SIGTERM', () => process.exit(0));

app.listen(port, '127.0.0.1', (err) => {
  // Express 5 passes listen errors (e.g. EADDRINUSE) here instead of throwing them.
  if (err) throw err;
  console.log(`${variant} listening on 127.0.0.1:${port}`);
});
