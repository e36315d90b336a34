// The usage example of prometheus_flask_exporter, written for Express: default request metrics,
// an info metric, and one route for each kind of custom metric.
// Run: npm run build && node examples/plain-express/server.js   (PORT defaults to 3000)
'use strict';
const express = require('express');
const { PrometheusMetrics } = require('spectrometer');

const port = Number(process.env.PORT || 3000);
const app = express();

// Created before the routes, so every route below is tracked; GET /metrics is added here.
const metrics = new PrometheusMetrics(app);

// Static facts about the running app, exported as a gauge set to 1.
metrics.info('app_info', 'Application info', { version: '1.0.3' });

app.get('/', (req, res) => {
  res.send('tracked by the default metrics');
});

app.get('/skip', metrics.doNotTrack(), (req, res) => {
  res.send('not in the default metrics');
});

// Only the custom counter sees this route: doNotTrack() keeps it out of the defaults.
// Counter names end in _total here, so the series is named the same in Prometheus text and in
// OpenMetrics (which always appends _total to counter samples).
const byType = metrics.counter('invocation_by_type_total', 'Number of invocations by type', {
  labels: { item_type: (req) => req.params.type },
});
app.get('/items/:type', metrics.doNotTrack(), byType, (req, res) => {
  res.json({ type: req.params.type });
});

// A gauge middleware counts the requests that are still running.
const inProgress = metrics.gauge('in_progress', 'Long running requests in progress');
app.get('/long-running', inProgress, (req, res) => {
  const ms = Math.min(Number(req.query.ms) || 500, 10_000);
  setTimeout(() => res.send(`done after ${ms} ms`), ms);
});

// Two latency metrics on one route; their label functions run once the response is known.
const byStatus = metrics.summary('requests_by_status', 'Request latencies by status', {
  labels: { status: (req, res) => res.statusCode },
});
const byStatusAndPath = metrics.histogram(
  'requests_by_status_and_path',
  'Request latencies by status and path',
  { labels: { status: (req, res) => res.statusCode, path: (req) => req.path } },
);
app.get('/status/:status', byStatus, byStatusAndPath, (req, res) => {
  const status = Number(req.params.status);
  const valid = Number.isInteger(status) && status >= 200 && status < 600;
  res.status(valid ? status : 400).send(`Status: ${valid ? status : 'invalid'}`);
});

app.listen(port, '127.0.0.1', (err) => {
  // Express 5 passes listen errors (e.g. EADDRINUSE) here instead of throwing them.
  if (err) throw err;
  console.log(`plain-express listening on http://127.0.0.1:${port} (metrics on /metrics)`);
});
