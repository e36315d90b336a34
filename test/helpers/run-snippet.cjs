'use strict';
// Runs one README snippet (`node run-snippet.cjs <file>`) and exits 0 when it ran: its module
// evaluated (top-level await included), every server it started listens and answers a request
// without a 5xx. Servers listen on port 0 of 127.0.0.1 whatever the snippet asks for, and are
// closed at the end, so snippets can say `listen(8080)` as a reader would.
const net = require('node:net');
const http = require('node:http');
const { once } = require('node:events');
const { pathToFileURL } = require('node:url');

const servers = [];
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnAnyPort(...args) {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  servers.push(this);
  return listen.call(this, { port: 0, host: '127.0.0.1' }, callback);
};

function answers(server) {
  const { port } = server.address();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      res.resume();
      if (res.statusCode >= 500) reject(new Error(`GET /metrics answered ${res.statusCode}`));
      else resolve();
    });
    req.on('error', reject);
  });
}

async function main() {
  await import(pathToFileURL(process.argv[2]).href);
  await Promise.all(servers.map((server) => server.listening || once(server, 'listening')));
  for (const server of servers) await answers(server);
  for (const server of servers) {
    server.closeAllConnections?.();
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
