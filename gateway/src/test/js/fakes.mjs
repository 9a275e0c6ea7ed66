// Test doubles for the realtime client: a WebSocket the test drives by hand and a clock that only moves when told.

export class FakeSocket {
  static OPEN = 1;
  readyState = 0;
  sent = [];
  closedWith = null;
  onmessage = null;
  onclose = null;
  onerror = null;

  constructor(url) {
    this.url = url;
  }

  send(text) {
    if (this.readyState !== FakeSocket.OPEN) {
      throw new Error('send on a socket that is not open');
    }
    this.sent.push(JSON.parse(text));
  }

  close(code, reason) {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  /** The server side: open, then say hello as realtime-service does. */
  establish(userId = 'alice') {
    this.readyState = FakeSocket.OPEN;
    this.receive({ event: 'connection:established', data: { user_id: userId, connection_id: 'c1', ping_interval: 25 } });
  }

  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** What the page asked for, without pings. */
  requests() {
    return this.sent.filter((frame) => frame.event !== 'ping');
  }
}

export class FakeClock {
  #now = 1_000_000;
  #next = 1;
  #timers = new Map();

  now() {
    return this.#now;
  }

  setTimeout(fn, delay) {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + delay, fn });
    return id;
  }

  clearTimeout(id) {
    this.#timers.delete(id);
  }

  setInterval(fn, every) {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + every, fn, every });
    return id;
  }

  clearInterval(id) {
    this.#timers.delete(id);
  }

  pending() {
    return [...this.#timers.values()].map((timer) => timer.at - this.#now);
  }

  /** Runs every timer due within `ms`, in time order, moving the clock as it goes. */
  advance(ms) {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      const [id, timer] = due;
      this.#now = timer.at;
      if (timer.every) {
        timer.at += timer.every;
      } else {
        this.#timers.delete(id);
      }
      timer.fn();
    }
    this.#now = end;
  }
}
