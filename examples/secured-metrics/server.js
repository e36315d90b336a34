// /metrics behind HTTP basic auth, through the metricsMiddleware option: the port of
// prometheus_flask_exporter's metrics_decorator=auth.login_required example.
// Run: npm run build && node examples/secured-metrics/server.js   (PORT defaults to 3000)
// Credentials: METRICS_USER / METRICS_PASSWORD, default prometheus / change-me.
'use strict';
const crypto = require('node:crypto');
const express = require('express');
const { PrometheusMetrics } = require('spectrometer');

const port = Number(process.env.PORT || 3000);
const user = process.env.METRICS_USER || 'prometheus';
const password = process.env.METRICS_PASSWORD || 'change-me';

// Hashing both sides first gives equal lengths, which timingSafeEqual requires, and keeps the
// comparison time independent of where the strings differ.
function sameSecret(given, expected) {
  const digest = (s) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

function requireBasicAuth(req, res, next) {
  const [scheme, encoded] = (req.headers.authorization || '').split(' ');
  const decoded = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString() : '';
  const colon = decoded.indexOf(':');
  // Evaluate both checks every time, so a wrong user name costs as long as a wrong password.
  const userOk = sameSecret(decoded.slice(0, colon), user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), password);
  if (colon >= 0 && userOk && passwordOk) return next();
  res.set('WWW-Authenticate', 'Basic realm="metrics"').status(401).send('authentication required');
}

const app = express();
new PrometheusMetrics(app, { metricsMiddleware: requireBasicAuth });

app.get('/', (req, res) => {
  res.send('public page; the metrics need a password');
});

app.listen(port, '127.0.0.1', (err) => {
  // Express 5 passes listen errors (e.g. EADDRINUSE) here instead of throwing them.
  if (err) throw err;
  console.log(`secured-metrics listening on http://127.0.0.1:${port} (/metrics needs basic auth)`);
});
