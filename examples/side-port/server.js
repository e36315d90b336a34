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

// Before the routes, like any middleware that must see every request.
monitor(app, { port: metricsPort, host: '127.0.0.1' });

app.get('/', (req, res) => {
  res.send('Hello');
});

app.listen(port, '127.0.0.1', () => {
  console.log(`side-port app on http://127.0.0.1:${port}, metrics on :${metricsPort}/metrics`);
});
