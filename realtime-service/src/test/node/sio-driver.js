#!/usr/bin/env node
// Drives the stock socket.io-client v4 for SocketIoEndToEndTests: the JUnit test spawns it and reads stdout.
//
//   node sio-driver.js <url> [--path /socket.io] [--token JWT] [--no-reconnect] [--timeout-ms 60000]
//
// <url> is what a browser app passes to io(): its path part is the namespace (the source 002 frontend uses
// https://host/project-dashboard/ws, i.e. namespace /project-dashboard/ws). Transport: websocket only.
//
// stdout: one JSON object per line, {"kind": ...}:
//   connect {id, nsp} | connect_error {message, data, active} | disconnect {reason}
//   ack {event, arg, response | error} | event {data} (the `event` event) | other {name, args} (any other event)
//   ping (the server's Engine.IO ping, answered by the client)
// stdin: one JSON command per line: {"emit": "subscribe_project", "arg": "p", "ack": true} (optionally
// "ack_timeout_ms", default 5000) or {"close": true}.
// End of stdin closes the client and exits, so the test owns the process lifetime.
'use strict';
const { io } = require('socket.io-client');

const args = process.argv.slice(2);
const url = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const token = option('--token');
const socket = io(url, {
  path: option('--path', '/socket.io'),
  transports: ['websocket'],
  auth: token === undefined ? undefined : { token },
  reconnection: !args.includes('--no-reconnect'),
  timeout: 10000,
});

socket.on('connect', () => print({ kind: 'connect', id: socket.id, nsp: socket.nsp }));
socket.on('connect_error', (err) => {
  print({ kind: 'connect_error', message: err.message, data: err.data, active: socket.active });
});
socket.on('disconnect', (reason) => print({ kind: 'disconnect', reason }));
socket.on('event', (data) => print({ kind: 'event', data }));
socket.io.on('ping', () => print({ kind: 'ping' }));
socket.onAny((name, ...rest) => {
  if (name !== 'event') print({ kind: 'other', name, args: rest });
});

const run = (command) => {
  if (command.close) {
    socket.close();
  } else if (command.ack) {
    socket.timeout(command.ack_timeout_ms || 5000).emit(command.emit, command.arg, (err, response) => {
      if (err) print({ kind: 'ack', event: command.emit, arg: command.arg, error: String(err.message || err) });
      else print({ kind: 'ack', event: command.emit, arg: command.arg, response });
    });
  } else {
    socket.emit(command.emit, command.arg);
  }
};

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, newline).trim();
    pending = pending.slice(newline + 1);
    if (!line) continue;
    try {
      run(JSON.parse(line));
    } catch (e) {
      print({ kind: 'driver_error', message: String(e) });
    }
  }
});
process.stdin.on('end', () => {
  socket.close();
  process.exit(0);
});
// a forgotten process must not outlive the test run
setTimeout(() => process.exit(3), Number(option('--timeout-ms', 60000))).unref();
