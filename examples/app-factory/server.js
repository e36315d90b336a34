// The app factory pattern: one PrometheusMetrics made with forAppFactory(), attached with
// initApp() to every app that createApp() builds. Here createApp() runs twice, for a public
// app and an admin app on two ports; both record into the same metrics, told apart by an
// `app` label, and both answer /metrics with the whole registry.
// Run: npm run build && node examples/app-factory/server.js
// (public app on PORT, default 3000; admin app on ADMIN_PORT, default PORT + 1)
'use strict';
const express = require('express');
const { PrometheusMetrics } = require('spectrometer');

const port = Number(process.env.PORT || 3000);
const adminPort = Number(process.env.ADMIN_PORT || port + 1);

// No app yet: the metrics are defined once, at module level, like Flask's for_app_factory().
const metrics = PrometheusMetrics.forAppFactory({
  defaultLabels: { app: (req) => req.app.locals.name },
});

function createApp(name) {
  const app = express();
  app.locals.name = name;
  metrics.initApp(app); // before the routes, so they are all tracked
  app.get('/', (req, res) => {
    res.send(`hello from the ${name} app`);
  });
  return app;
}

function listen(app, listenPort) {
  app.listen(listenPort, '127.0.0.1', (err) => {
    // Express 5 passes listen errors (e.g. EADDRINUSE) here instead of throwing them.
    if (err) throw err;
    console.log(`${app.locals.name} app listening on http://127.0.0.1:${listenPort}`);
  });
}

listen(createApp('public'), port);
listen(createApp('admin'), adminPort);
