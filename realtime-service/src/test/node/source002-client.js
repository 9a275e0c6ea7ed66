#!/usr/bin/env node
// Source 002's dashboard frontend as its guide writes it (stock socket.io-client, no token), for smoke tests:
//
//   node source002-client.js <base URL> <project> [<deployment id>] [--timeout-ms 30000]
//
// Connects io(<base URL> + '/project-dashboard/ws', {transports: ['websocket'], path: '/socket.io'}), emits
// subscribe_project(<project>) (and subscribe_deployment(<deployment id>) when given) right away, as the source
// does, prints the first `event` it receives as one JSON line on stdout ({"type", "payload", …} as the server sent
// it) and exits 0. Exit 1: no event within the timeout; exit 2: the server refused the connection (connect_error)
// or the arguments are wrong. stderr says what happens, including a line starting with "ready" once connected.
'use strict';
const { io } = require('socket.io-client');

const args = process.argv.slice(2);
const timeoutAt = args.indexOf('--timeout-ms');
const timeoutMs = timeoutAt >= 0 ? Number(args[timeoutAt + 1]) : 30000;
const [base, project, deployment] = timeoutAt >= 0 ? args.slice(0, timeoutAt) : args;
if (!base || !project || !(timeoutMs > 0)) {
  process.stderr.write('usage: node source002-client.js <base URL> <project> [<deployment id>] [--timeout-ms N]\n');
  process.exit(2);
}

const socket = io(base.replace(/\/+$/, '') + '/project-dashboard/ws', {
  transports: ['websocket'],
  path: '/socket.io'
});

socket.on('event', (event) => {
  process.stdout.write(JSON.stringify(event) + '\n', () => {
    socket.close();
    process.exit(0);
  });
});
socket.on('connect', () => {
  process.stderr.write('ready: connected as ' + socket.id + ', subscribed to project ' + project +
    (deployment ? ' and deployment ' + deployment : '') + '\n');
});
socket.on('connect_error', (err) => {
  process.stderr.write('connect_error: ' + err.message + ' ' + JSON.stringify(err.data || null) + '\n');
  if (!socket.active) {
    process.exit(2); // refused by the server: the client will not retry
  }
});
socket.on('error', (err) => process.stderr.write('error: ' + JSON.stringify(err) + '\n'));

socket.emit('subscribe_project', project);
if (deployment) {
  socket.emit('subscribe_deployment', deployment);
}

setTimeout(() => {
  process.stderr.write('no event within ' + timeoutMs + ' ms\n');
  socket.close();
  process.exit(1);
}, timeoutMs);
