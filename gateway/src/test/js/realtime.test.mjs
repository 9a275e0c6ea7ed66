import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  RealtimeClient,
  State,
  backoffDelay,
  closeVerdict,
  framePositions,
} from '../../main/resources/static/project-dashboard/assets/realtime.js';
import { FakeClock, FakeSocket } from './fakes.mjs';

function harness({ random = () => 0.5 } = {}) {
  const clock = new FakeClock();
  const sockets = [];
  const events = { states: [], messages: [], recoveryFailed: [], denied: [] };
  const client = new RealtimeClient({
    url: 'ws://host/project-dashboard/ws?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timers: clock,
    random,
    pingInterval: 20000,
    handlers: {
      onState: (state, info) => events.states.push({ state, ...info }),
      onMessage: (frame) => events.messages.push(frame),
      onRecoveryFailed: (channel) => events.recoveryFailed.push(channel),
      onDenied: (channel, error) => events.denied.push({ channel, code: error.code }),
    },
  });
  return { clock, sockets, events, client, last: () => sockets[sockets.length - 1] };
}

function publication(channel, offset, extra = {}) {
  return { event: 'task:progress', channel, offset, type: 'task.progress', data: { task_id: '42' }, ...extra };
}

describe('backoffDelay', () => {
  test('doubles from one second and stops at thirty', () => {
    const top = (attempt) => backoffDelay(attempt, { random: () => 1 });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map(top), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  test('jitters within the upper half of the step', () => {
    assert.equal(backoffDelay(2, { random: () => 0 }), 2000);
    assert.equal(backoffDelay(2, { random: () => 0.5 }), 3000);
  });
});

describe('closeVerdict', () => {
  test('retries network loss, server restarts and slow-client closes', () => {
    for (const code of [1000, 1001, 1006, 3008, 3010, 3012]) {
      assert.equal(closeVerdict(code).reconnect, true, `code ${code}`);
    }
  });

  test('gives up on codes that say the same token will not do', () => {
    for (const code of [3109, 3500, 3501, 3503, 3504, 3999]) {
      assert.equal(closeVerdict(code).reconnect, false, `code ${code}`);
    }
    assert.match(closeVerdict(3109).reason, /expired/);
  });
});

test('framePositions reads the channel and the also entries, not client publications at offset 0', () => {
  assert.deepEqual(
    framePositions({ channel: 'task:42', offset: 5, also: [{ channel: 'user:alice', offset: 17 }] }),
    [
      ['task:42', 5],
      ['user:alice', 17],
    ],
  );
  assert.deepEqual(framePositions({ channel: 'chat:1', offset: 0 }), []);
  assert.deepEqual(framePositions({ event: 'pong', data: {} }), []);
});

describe('RealtimeClient', () => {
  test('is connecting until the server says connection:established, then subscribes what is watched', () => {
    const { client, events, last } = harness();
    client.watch('project:demo');
    client.start();
    assert.equal(client.state, State.CONNECTING);
    assert.deepEqual(last().sent, []);
    last().establish();
    assert.equal(client.state, State.CONNECTED);
    assert.deepEqual(last().requests(), [{ event: 'subscribe', data: { channel: 'project:demo' } }]);
    client.watch('device:cam');
    assert.deepEqual(last().requests().at(-1), { event: 'subscribe', data: { channel: 'device:cam' } });
    assert.deepEqual(
      events.states.map((s) => s.state),
      [State.CONNECTING, State.CONNECTED],
    );
  });

  test('after a drop it reconnects with backoff and recovers each channel from the newest offset seen', () => {
    const { client, clock, events, sockets, last } = harness();
    client.watch('project:demo');
    client.watch('user:alice');
    client.start();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'project:demo', epoch: 'E1', offset: 3, recovered: false } });
    last().receive({ event: 'subscribed', data: { channel: 'user:alice', epoch: 'U1', offset: 10, recovered: false } });
    last().receive(publication('project:demo', 4));
    last().receive(publication('user:alice', 12, { also: [{ channel: 'project:demo', offset: 5 }] }));
    // an older offset (a replay, another channel's view) never moves a position back
    last().receive(publication('user:alice', 11));

    last().drop(1006);
    assert.equal(client.state, State.RECONNECTING);
    assert.equal(events.states.at(-1).retryAt - clock.now(), 750);
    assert.equal(sockets.length, 1);
    clock.advance(749);
    assert.equal(sockets.length, 1, 'waits for the backoff');
    clock.advance(1);
    assert.equal(sockets.length, 2);
    assert.equal(client.state, State.RECONNECTING, 'reconnecting until established again');
    last().establish();
    assert.deepEqual(last().requests(), [
      { event: 'subscribe', data: { channel: 'project:demo', since: { offset: 5, epoch: 'E1' } } },
      { event: 'subscribe', data: { channel: 'user:alice', since: { offset: 12, epoch: 'U1' } } },
    ]);
  });

  test('a recovered subscribe stands at the answer offset only once its replay is through', () => {
    const { client, last } = harness();
    client.watch('project:demo');
    client.start();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'project:demo', epoch: 'E1', offset: 3, recovered: false } });
    last().drop(1006);
    client.reconnectNow();
    last().establish();
    last().receive({
      event: 'subscribed',
      data: { channel: 'project:demo', epoch: 'E1', offset: 9, recovered: true, replayed: 2 },
    });
    assert.deepEqual(client.positions.sinceFor('project:demo'), { offset: 3, epoch: 'E1' });
    last().receive(publication('project:demo', 4));
    assert.deepEqual(client.positions.sinceFor('project:demo'), { offset: 4, epoch: 'E1' });
    // events the connection had through other channels were skipped: the answer's offset covers them
    last().receive(publication('project:demo', 6));
    assert.deepEqual(client.positions.sinceFor('project:demo'), { offset: 9, epoch: 'E1' });
  });

  test('a recovery the server cannot make is reported, and the channel continues from the new position', () => {
    const { client, events, last } = harness();
    client.watch('project:demo');
    client.start();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'project:demo', epoch: 'E1', offset: 3, recovered: false } });
    last().drop(1001);
    client.reconnectNow();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'project:demo', epoch: 'E2', offset: 1, recovered: false } });
    assert.deepEqual(events.recoveryFailed, ['project:demo']);
    assert.deepEqual(client.positions.sinceFor('project:demo'), { offset: 1, epoch: 'E2' });
  });

  test('backfill replays the last publications once, after the first subscribe answered', () => {
    const { client, events, last } = harness();
    client.watch('user:alice', { backfill: 50 });
    client.start();
    last().establish();
    assert.equal(last().requests().length, 1, 'one subscribe at a time per channel (the server refuses a second)');
    last().receive({ event: 'subscribed', data: { channel: 'user:alice', epoch: 'U1', offset: 70, recovered: false } });
    assert.deepEqual(last().requests().at(-1), {
      event: 'subscribe',
      data: { channel: 'user:alice', since: { offset: 20, epoch: 'U1' } },
    });
    last().receive({ event: 'subscribed', data: { channel: 'user:alice', epoch: 'U1', offset: 70, recovered: false } });
    assert.deepEqual(events.recoveryFailed, [], 'a backfill that finds the history gone is no lost recovery');
    assert.equal(last().requests().length, 2, 'and is not asked again');
  });

  test('no backfill for a channel that never had a publication', () => {
    const { client, last } = harness();
    client.watch('user:alice', { backfill: 50 });
    client.start();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'user:alice', epoch: 'U1', offset: 0, recovered: false } });
    assert.equal(last().requests().length, 1);
  });

  test('close codes that rule out the same token end in disconnected, without a retry', () => {
    const { client, clock, sockets, events, last } = harness();
    client.start();
    last().establish();
    last().drop(3500);
    assert.equal(client.state, State.DISCONNECTED);
    assert.equal(events.states.at(-1).fatal, true);
    clock.advance(120000);
    assert.equal(sockets.length, 1);
  });

  test('backoff keeps growing while connections fail and starts over after a stable one', () => {
    const { client, clock, events, last } = harness({ random: () => 1 });
    client.start();
    const waits = [];
    for (let i = 0; i < 4; i += 1) {
      last().drop(1006);
      waits.push(events.states.at(-1).retryAt - clock.now());
      clock.advance(waits.at(-1));
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000]);
    last().establish();
    clock.advance(6000);
    last().drop(1006);
    assert.equal(events.states.at(-1).retryAt - clock.now(), 1000);
  });

  test('a missing pong closes the connection and reconnects', () => {
    const { client, clock, sockets, last } = harness();
    client.start();
    last().establish();
    clock.advance(20000);
    assert.deepEqual(last().sent.at(-1).event, 'ping');
    last().receive({ event: 'pong', data: {} });
    clock.advance(20000);
    assert.equal(last().closedWith, null, 'answered pings keep the connection');
    clock.advance(20000);
    assert.equal(sockets[0].closedWith.code, 4000);
    assert.equal(client.state, State.RECONNECTING);
  });

  test('a refused channel is not asked for again; other errors leave the channel', () => {
    const { client, events, last } = harness();
    client.watch('task:other');
    client.start();
    last().establish();
    last().receive({ event: 'error', data: { code: 103, message: 'permission denied', channel: 'task:other' } });
    assert.deepEqual(events.denied, [{ channel: 'task:other', code: 103 }]);
    assert.equal(client.isWatching('task:other'), false);
    last().drop(1006);
    client.reconnectNow();
    last().establish();
    assert.deepEqual(last().requests(), []);
  });

  test('unwatching unsubscribes, also when the subscribe is still under way', () => {
    const { client, last } = harness();
    client.watch('task:1');
    client.watch('task:2');
    client.start();
    last().establish();
    last().receive({ event: 'subscribed', data: { channel: 'task:1', epoch: 'a', offset: 0 } });
    client.unwatch('task:1');
    client.unwatch('task:2');
    assert.deepEqual(last().requests().at(-1), { event: 'unsubscribe', data: { channel: 'task:1' } });
    last().receive({ event: 'subscribed', data: { channel: 'task:2', epoch: 'b', offset: 0 } });
    assert.deepEqual(last().requests().at(-1), { event: 'unsubscribe', data: { channel: 'task:2' } });
  });

  test('stop closes the socket normally and cancels a pending retry', () => {
    const { client, clock, sockets, last } = harness();
    client.start();
    last().drop(1006);
    client.stop();
    clock.advance(60000);
    assert.equal(sockets.length, 1);
    assert.equal(client.state, State.DISCONNECTED);
  });

  test('publications reach the page in the order they arrive', () => {
    const { client, events, last } = harness();
    client.watch('project:demo');
    client.start();
    last().establish();
    last().receive(publication('project:demo', 1));
    last().receive({ event: 'notification', channel: 'system:notifications', offset: 1, data: { title: 't' } });
    assert.deepEqual(
      events.messages.map((m) => m.event),
      ['task:progress', 'notification'],
    );
  });
});
