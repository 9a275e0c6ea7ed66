// Client of realtime-service's native protocol (docs/realtime-service.md, "Native protocol"): one WebSocket, frames
// {"event", "data"}, channels kept subscribed across reconnects and recovered with `since: {offset, epoch}`.
// The socket factory and the timers are passed in, so the bookkeeping runs under node's test runner as it does in
// the browser.

export const State = Object.freeze({
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  RECONNECTING: 'reconnecting',
  DISCONNECTED: 'disconnected',
});

const OPEN = 1;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `base`, capped at `cap`, with jitter in the
 * upper half so that many pages dropped at once do not come back in step.
 */
export function backoffDelay(attempt, { base = 1000, cap = 30000, random = Math.random } = {}) {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * What a close code means for the client (docs/realtime-service.md, "Close codes"): 3500–3999 and an expired token
 * (3109) must not be retried with the same token; everything else (network loss, 1001 server shutdown, 3008 slow
 * client, 3010 insufficient state, 3012 no pong, 1006 a refused handshake) is retried with backoff.
 */
export function closeVerdict(code) {
  const fatal = {
    3109: 'the token expired: sign in again',
    3500: 'the token was refused: sign in again',
    3501: 'the server could not read what the page sent',
    3503: 'an administrator disconnected this session',
    3504: 'too many open dashboards for this user: close one and reconnect',
  };
  if (fatal[code]) {
    return { reconnect: false, reason: fatal[code] };
  }
  if (code >= 3500 && code <= 3999) {
    return { reconnect: false, reason: `the server closed the connection (${code})` };
  }
  return { reconnect: true, reason: code === 1000 ? 'closed' : `connection lost (${code})` };
}

/** The newest position the page saw in each channel: what it asks to recover from after a reconnect. */
export class Positions {
  #byChannel = new Map();

  get(channel) {
    return this.#byChannel.get(channel);
  }

  set(channel, epoch, offset) {
    this.#byChannel.set(channel, { epoch, offset });
  }

  /** Moves the channel forward to `offset`; never back (replays and `also` entries may name older offsets). */
  advance(channel, offset) {
    const current = this.#byChannel.get(channel);
    if (current && Number.isInteger(offset) && offset > current.offset) {
      current.offset = offset;
    }
  }

  forget(channel) {
    this.#byChannel.delete(channel);
  }

  /** The `since` of a subscribe, or undefined when nothing was seen yet. */
  sinceFor(channel) {
    const current = this.#byChannel.get(channel);
    return current ? { offset: current.offset, epoch: current.epoch } : undefined;
  }
}

/** The [channel, offset] pairs a publication frame moves: its own channel and the ones in `also`. */
export function framePositions(frame) {
  const pairs = [];
  if (typeof frame.channel === 'string' && Number.isInteger(frame.offset) && frame.offset > 0) {
    pairs.push([frame.channel, frame.offset]);
  }
  for (const other of Array.isArray(frame.also) ? frame.also : []) {
    if (typeof other?.channel === 'string' && Number.isInteger(other.offset) && other.offset > 0) {
      pairs.push([other.channel, other.offset]);
    }
  }
  return pairs;
}

export class RealtimeClient {
  #url;
  #createSocket;
  #timers;
  #random;
  #pingInterval;
  #stableAfter;
  #handlers;
  #socket = null;
  #state = State.DISCONNECTED;
  #stopped = true;
  #attempt = 0;
  #connectedAt = null;
  #everConnected = false;
  #retryTimer = null;
  #pingTimer = null;
  #awaitingPong = false;
  /** channel → {backfill, phase: 'idle' | 'pending' | 'subscribed', since, backfilled, replay} */
  #channels = new Map();
  positions = new Positions();

  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL, token included
   * @param {(url: string) => WebSocket} options.createSocket
   * @param {object} [options.timers] setTimeout, clearTimeout, setInterval, clearInterval and now()
   * @param {object} [options.handlers] onState(state, info), onMessage(frame), onSubscribed(data),
   *     onRecoveryFailed(channel), onDenied(channel, error), onError(error)
   */
  constructor({
    url,
    createSocket,
    timers = globalThis,
    random = Math.random,
    pingInterval = 20000,
    stableAfter = 5000,
    handlers = {},
  }) {
    this.#url = url;
    this.#createSocket = createSocket;
    this.#timers = {
      setTimeout: timers.setTimeout.bind(timers),
      clearTimeout: timers.clearTimeout.bind(timers),
      setInterval: timers.setInterval.bind(timers),
      clearInterval: timers.clearInterval.bind(timers),
      now: timers.now ? timers.now.bind(timers) : () => Date.now(),
    };
    this.#random = random;
    this.#pingInterval = pingInterval;
    this.#stableAfter = stableAfter;
    this.#handlers = handlers;
  }

  get state() {
    return this.#state;
  }

  /** Channels the page wants, subscribed or not yet. */
  get channels() {
    return [...this.#channels.keys()];
  }

  start() {
    if (!this.#stopped) {
      return;
    }
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'page closed the connection');
    }
    this.#setState(State.DISCONNECTED, { reason: 'signed out' });
  }

  /** Skips the rest of a backoff wait (e.g. when the browser says it is online again). */
  reconnectNow() {
    if (this.#stopped || this.#socket !== null) {
      return;
    }
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }

  /**
   * Keeps `channel` subscribed from now on, across reconnects. With `backfill` > 0 the first subscribe is followed by
   * one that replays up to that many of the channel's last publications (what happened before the page opened).
   */
  watch(channel, { backfill = 0 } = {}) {
    if (this.#channels.has(channel)) {
      return;
    }
    this.#channels.set(channel, { backfill, phase: 'idle', since: undefined, backfilled: false, replay: null });
    if (this.#state === State.CONNECTED) {
      this.#subscribe(channel);
    }
  }

  unwatch(channel) {
    const entry = this.#channels.get(channel);
    if (!entry) {
      return;
    }
    this.#channels.delete(channel);
    this.positions.forget(channel);
    if (entry.phase === 'subscribed') {
      this.#send('unsubscribe', { channel });
    }
    // a subscribe still pending is undone when its answer arrives (#onSubscribed)
  }

  isWatching(channel) {
    return this.#channels.has(channel);
  }

  #connect() {
    this.#setState(this.#everConnected ? State.RECONNECTING : State.CONNECTING, { attempt: this.#attempt });
    let socket;
    try {
      socket = this.#createSocket(this.#url);
    } catch (error) {
      this.#onClose(1006, String(error));
      return;
    }
    this.#socket = socket;
    socket.onmessage = (message) => this.#onFrame(message.data);
    socket.onclose = (event) => {
      if (this.#socket === socket) {
        this.#onClose(event.code, event.reason);
      }
    };
    socket.onerror = () => {
      // a close event follows every error; it decides what happens next
    };
  }

  #onClose(code, reason) {
    this.#socket = null;
    this.#stopPing();
    for (const entry of this.#channels.values()) {
      entry.phase = 'idle';
      entry.replay = null;
    }
    if (this.#stopped) {
      this.#setState(State.DISCONNECTED, { code, reason: 'signed out' });
      return;
    }
    const verdict = closeVerdict(code);
    if (!verdict.reconnect) {
      this.#stopped = true;
      this.#setState(State.DISCONNECTED, { code, reason: verdict.reason, fatal: true });
      return;
    }
    if (this.#connectedAt !== null && this.#timers.now() - this.#connectedAt >= this.#stableAfter) {
      this.#attempt = 0;
    }
    this.#connectedAt = null;
    const delay = backoffDelay(this.#attempt, { random: this.#random });
    this.#attempt += 1;
    this.#setState(State.RECONNECTING, {
      code,
      reason: verdict.reason || reason,
      attempt: this.#attempt,
      retryAt: this.#timers.now() + delay,
    });
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopped) {
        this.#connect();
      }
    }, delay);
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object') {
      return;
    }
    switch (frame.event) {
      case 'connection:established':
        this.#onEstablished(frame.data ?? {});
        return;
      case 'subscribed':
        this.#onSubscribed(frame.data ?? {});
        return;
      case 'pong':
        this.#awaitingPong = false;
        return;
      case 'error':
        this.#onError(frame.data ?? {});
        return;
      default:
        this.#onPublication(frame);
    }
  }

  #onEstablished(data) {
    this.#connectedAt = this.#timers.now();
    this.#everConnected = true;
    this.#setState(State.CONNECTED, { user: data.user_id, connectionId: data.connection_id });
    this.#startPing();
    for (const channel of this.#channels.keys()) {
      this.#subscribe(channel);
    }
  }

  #subscribe(channel, since = this.positions.sinceFor(channel), backfill = false) {
    const entry = this.#channels.get(channel);
    if (!entry || entry.phase === 'pending') {
      // the server refuses a second subscribe to a channel while the first is running (error 107)
      return;
    }
    entry.phase = 'pending';
    entry.since = since;
    entry.backfilling = backfill;
    this.#send('subscribe', since ? { channel, since } : { channel });
  }

  #onSubscribed(data) {
    const channel = data.channel;
    const entry = this.#channels.get(channel);
    if (!entry) {
      // unwatched while the subscribe was under way
      this.#send('unsubscribe', { channel });
      return;
    }
    entry.phase = 'subscribed';
    const asked = entry.since;
    entry.since = undefined;
    const current = this.positions.get(channel);
    if (asked && data.recovered) {
      // the replayed publications follow; once they are through the page stands at data.offset
      entry.replay = {
        remaining: Number(data.replayed) || 0,
        target: data.offset,
        kind: entry.backfilling ? 'backfill' : 'recovery',
      };
      if (!current || current.epoch !== data.epoch) {
        this.positions.set(channel, data.epoch, asked.offset);
      }
      this.#finishReplayIfDone(channel, entry);
    } else {
      this.positions.set(channel, data.epoch, data.offset);
      if (asked && !entry.backfilling) {
        this.#handlers.onRecoveryFailed?.(channel, data);
      }
    }
    this.#handlers.onSubscribed?.(data);
    if (!asked && entry.backfill > 0 && !entry.backfilled) {
      entry.backfilled = true;
      if (Number.isInteger(data.offset) && data.offset > 0) {
        this.#subscribe(channel, { offset: Math.max(0, data.offset - entry.backfill), epoch: data.epoch }, true);
      }
    }
  }

  #finishReplayIfDone(channel, entry) {
    if (entry.replay && entry.replay.remaining <= 0) {
      this.positions.advance(channel, entry.replay.target);
      entry.replay = null;
    }
  }

  #onPublication(frame) {
    for (const [channel, offset] of framePositions(frame)) {
      this.positions.advance(channel, offset);
      const entry = this.#channels.get(channel);
      if (entry?.replay) {
        // what the page missed (`recovery`) or what happened before it opened (`backfill`): panels may want to
        // show it without the toasts live news gets
        frame.replayed ??= entry.replay.kind;
        entry.replay.remaining -= 1;
        this.#finishReplayIfDone(channel, entry);
      }
    }
    this.#handlers.onMessage?.(frame);
  }

  #onError(error) {
    const channel = error.channel;
    const entry = channel ? this.#channels.get(channel) : undefined;
    if (entry && entry.phase === 'pending') {
      entry.phase = 'idle';
    }
    if (entry && error.code === 112) {
      // the position cannot be recovered from: start afresh and let the page reload what it shows
      this.positions.forget(channel);
      this.#handlers.onRecoveryFailed?.(channel, error);
      this.#subscribe(channel, undefined);
      return;
    }
    if (entry && (error.code === 103 || error.code === 106)) {
      // permission denied or too many subscriptions: asking again would get the same answer
      this.#channels.delete(channel);
      this.positions.forget(channel);
      this.#handlers.onDenied?.(channel, error);
      return;
    }
    if (entry && error.code === 108) {
      // not available right now (e.g. Redis could not say who owns a task): ask again shortly
      this.#timers.setTimeout(() => {
        if (this.#state === State.CONNECTED && this.#channels.get(channel)?.phase === 'idle') {
          this.#subscribe(channel);
        }
      }, backoffDelay(1, { random: this.#random }));
    }
    this.#handlers.onError?.(error);
  }

  #startPing() {
    this.#stopPing();
    this.#awaitingPong = false;
    this.#pingTimer = this.#timers.setInterval(() => {
      if (this.#awaitingPong) {
        // no pong for a whole interval: the connection is dead even if the browser has not noticed yet
        const socket = this.#socket;
        if (socket) {
          detach(socket);
          socket.close(4000, 'no pong');
          this.#onClose(4000, 'no pong');
        }
        return;
      }
      this.#awaitingPong = true;
      this.#send('ping', { timestamp: new Date(this.#timers.now()).toISOString() });
    }, this.#pingInterval);
  }

  #stopPing() {
    if (this.#pingTimer !== null) {
      this.#timers.clearInterval(this.#pingTimer);
      this.#pingTimer = null;
    }
  }

  #send(event, data) {
    if (this.#socket && this.#socket.readyState === OPEN) {
      this.#socket.send(JSON.stringify({ event, data }));
    }
  }

  #setState(state, info = {}) {
    this.#state = state;
    this.#handlers.onState?.(state, info);
  }
}

function detach(socket) {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}
