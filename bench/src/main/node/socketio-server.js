#!/usr/bin/env node
// The baseline of `bench/run realtime`: the stock socket.io v4 server (npm) doing the job realtime-service does,
// with nothing in between (no Redis, no JWT), so the comparison favours socket.io if anything.
//
//   node socketio-server.js <port>           (add --expose-gc so POST /gc can collect before a memory reading)
//
// Clients: websocket transport only, CONNECT auth {"token":"<user id>"} (taken as the user id, not verified);
// every socket joins room "user:<id>"; `subscribe_project <name>` (acked {"ok":true}) joins "project:<name>".
//
// Control API (JSON over plain HTTP on the same port):
//   POST /publish {"mode":"room","room":"project:bench","rate":20,"seconds":8,"pad":100}
//        {"mode":"users","prefix":"bench-u","users":5000,"rate":2000,"seconds":8,"pad":100}
//        -> 202 {"recipients":N,"expected":M}; emits `rate` events per second for `seconds`, each
//        `event` {"type":"log_entry"|"notification","payload":{...,"seq","sent_us"}} where sent_us is the epoch time in
//        microseconds taken just before the emit. "users" mode sends event k to room user:<prefix><k mod users>.
//   GET  /publish -> {"running":bool,"sent":n}
//   GET  /clock   -> {"epoch_us":n} (the clock sent_us is read from; the bench calibrates its offset to its own)
//   GET  /stats   -> {"connections","rss","heap_used","heap_total","external","array_buffers"}
//   POST /gc      -> runs global.gc() twice when started with --expose-gc, then answers like /stats
'use strict';

const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || process.env.PORT || 3100);
// performance.timeOrigin is the epoch start of this process in ms with sub-ms precision; adding the monotonic
// performance.now() gives an epoch clock with microsecond resolution that the bench JVM can compare with its own.
const epochMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

let job = null; // the running publish job, one at a time

function stats() {
  const m = process.memoryUsage();
  return {
    connections: io.engine.clientsCount,
    rss: m.rss,
    heap_used: m.heapUsed,
    heap_total: m.heapTotal,
    external: m.external,
    array_buffers: m.arrayBuffers,
  };
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function startPublishing(spec) {
  const mode = spec.mode === 'users' ? 'users' : 'room';
  const rate = Number(spec.rate);
  const seconds = Number(spec.seconds);
  if (!(rate > 0) || !(seconds > 0)) throw new Error('rate and seconds must be positive');
  const pad = 'x'.repeat(Math.max(0, Number(spec.pad || 0)));
  const total = Math.round(rate * seconds);
  const room = spec.room || 'project:bench';
  const prefix = spec.prefix || 'bench-u';
  const users = Number(spec.users || 1);
  const recipients = mode === 'room' ? (io.sockets.adapter.rooms.get(room) || new Set()).size : total;
  const current = { sent: 0, total, running: true };
  const started = performance.now();
  const emitOne = () => {
    const seq = current.sent++;
    if (mode === 'room') {
      const payload = { project: 'bench', level: 'info', message: pad, seq, sent_us: epochMicros() };
      io.to(room).emit('event', { type: 'log_entry', payload });
    } else {
      const user = prefix + (seq % users);
      const payload = { user_id: user, title: 'bench', message: pad, type: 'info', seq, sent_us: epochMicros() };
      io.to('user:' + user).emit('event', { type: 'notification', payload });
    }
  };
  // a fixed rate without drift: every tick sends what is due by now (timers are coarse under load)
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (current.sent < due) emitOne();
    if (current.sent >= total) {
      clearInterval(timer);
      current.running = false;
    }
  };
  const timer = setInterval(tick, 2);
  tick();
  job = current;
  return { recipients, expected: mode === 'room' ? recipients * total : total };
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/clock')) return reply(res, 200, { epoch_us: epochMicros() });
  if (req.method === 'GET' && req.url.startsWith('/stats')) return reply(res, 200, stats());
  if (req.method === 'POST' && req.url.startsWith('/gc')) {
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    return reply(res, 200, { ...stats(), gc: typeof global.gc === 'function' });
  }
  if (req.method === 'GET' && req.url.startsWith('/publish')) {
    return reply(res, 200, { running: !!(job && job.running), sent: job ? job.sent : 0 });
  }
  if (req.method === 'POST' && req.url.startsWith('/publish')) {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    return req.on('end', () => {
      if (job && job.running) return reply(res, 409, { message: 'a publish job is running' });
      try {
        return reply(res, 202, startPublishing(JSON.parse(body || '{}')));
      } catch (e) {
        return reply(res, 400, { message: String(e.message || e) });
      }
    });
  }
  return reply(res, 404, { message: 'not found' });
});

const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false, // realtime-service does not compress either
  pingInterval: 25000,
  pingTimeout: 20000,
});
io.use((socket, next) => {
  const token = socket.handshake.auth && socket.handshake.auth.token;
  return typeof token === 'string' && token.length > 0 ? next() : next(new Error('unauthorized'));
});
io.on('connection', (socket) => {
  socket.join('user:' + socket.handshake.auth.token);
  socket.on('subscribe_project', (name, ack) => {
    socket.join('project:' + name);
    if (typeof ack === 'function') ack({ ok: true, channel: 'project:' + name });
  });
});

server.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ listening: port, pid: process.pid })));
process.on('SIGTERM', () => process.exit(0));
