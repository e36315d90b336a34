// The Flask-Prometheus one-liner for Express: monitor(app, { port }) records the default request
// metrics and serves them on a port of their own, so the public port never exposes /metrics.
// Run: npm run build && node examples/side-port/server.js
// (app on PORT, default 3000; metrics on METRICS_PORT, default 8000)
'use strict';
const express = require('express');
const { monitor } = require('spectrometer');

const port = Number(process.env.PORT || 3000);
const metricsPort = Number(process.env.METRICS_PORT || 8000);
const app = express();

// Before the routes, like any middleware that must see every request. The app is instrumented
// at once; the promise only tells when the metrics port listens (or why it could not).
monitor(app, { port: metricsPort, host: '127.0.0.1' }).then(
  () => console.log(`metrics on http://127.0.0.1:${metricsPort}/metrics`),
  (err) => {
    console.error(`cannot serve metrics on port ${metricsPort}: ${err.message}`);
    process.exit(1);
  },
);

app.get('/', (req, res) => {
  res.send('Hello');
});

app.listen(port, '127.0.0.1', (err) => {
  // Express 5 passes listen errors (e.g. EADDRINUSE) here instead of throwing them.
  if (err) throw err;
  console.log(`side-port app listening on http://127.0.0.1:${port}`);
});
