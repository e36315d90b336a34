// The petstore demo on every CPU: the primary forks WORKERS workers sharing PORT, and serves the
// sum of their metrics on METRICS_PORT; /metrics on the app (any worker) answers that sum too.
// Run: npm run build && npm run build:examples && node examples/cluster/server.js (its workers
// load the petstore example's compiled handlers)
// (WORKERS default: one per CPU; PORT default 8080; METRICS_PORT default 9464)
'use strict';
const cluster = require('node:cluster');
const os = require('node:os');
const path = require('node:path');
const { createApi, shareWorkerMetrics, startClusterMetricsServer } = require('spectrometer');

const workers = Number(process.env.WORKERS || os.availableParallelism());
const port = Number(process.env.PORT || 8080);
const metricsPort = Number(process.env.METRICS_PORT || 9464);
const host = process.env.HOST || '127.0.0.1';

async function primary() {
  // The Gunicorn analog: the primary serves the sum of every worker on a port of its own.
  await startClusterMetricsServer(metricsPort, { host, timeoutMs: 2000 });
  for (let i = 0; i < workers; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening !== workers) return;
    console.log(
      `petstore on http://${host}:${port}/v1/pets with ${workers} workers; ` +
        `metrics on http://${host}:${port}/metrics (any worker) and http://${host}:${metricsPort}/metrics (primary)`,
    );
  });
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal || code}), starting another`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    cluster.on('exit', () => Object.keys(cluster.workers).length === 0 && process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function worker() {
  // Each worker has its own store: a pet created in one worker is unknown to the others.
  const { handlers, security, labelFunctions } = require('../petstore/dist/handlers');
  const api = await createApi({
    spec: path.join(__dirname, '..', '..', 'specs', 'petstore.yaml'),
    handlers,
    security,
    labelFunctions, // the { fn: petKind } label of the spec's x-metrics
  });
  // Share this worker's metrics with the primary; its /metrics now answers for every worker.
  shareWorkerMetrics(api.metrics);
  const server = await api.listen(port, host);
  process.once('SIGINT', () => {}); // Ctrl+C reaches every worker; the primary stops them
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

(cluster.isPrimary ? primary() : worker()).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
