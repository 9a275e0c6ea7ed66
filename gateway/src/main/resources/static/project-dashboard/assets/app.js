// The dashboard page: signs in with a token, connects to realtime-service's native WebSocket through the gateway,
// and hands each frame to the panel it belongs to. docs/dashboard.md describes what each panel shows.

import { createApi } from './api.js';
import { createDeploymentsPanel } from './panels/deployments.js';
import { createDevicesPanel } from './panels/devices.js';
import { createFilesPanel } from './panels/files.js';
import { createSystemPanel } from './panels/system.js';
import { createTasksPanel } from './panels/tasks.js';
import { createWebhooksPanel } from './panels/webhooks.js';
import { RealtimeClient, State } from './realtime.js';
import {
  accessOf,
  decodeClaims,
  forgetToken,
  isExpired,
  storeToken,
  storedToken,
  takeTokenFromUrl,
} from './session.js';
import { createToasts } from './toasts.js';

/** "/project-dashboard/": every API call and the WebSocket are under the page's own path. */
const BASE = new URL('./', window.location.href).pathname;
const TICK_MS = 5000;
const USER_BACKFILL = 100;
const SIGN_OUT_MESSAGE = 'dashboard-sign-out-message';

const $ = (id) => document.getElementById(id);

function main() {
  const fromUrl = takeTokenFromUrl(window.location, window.history);
  if (fromUrl) {
    storeToken(sessionStorage, fromUrl);
  }
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token-input').value);
  });
  // why the page last signed out, if it did so by itself
  const message = sessionStorage.getItem(SIGN_OUT_MESSAGE);
  sessionStorage.removeItem(SIGN_OUT_MESSAGE);
  const token = storedToken(sessionStorage);
  if (token) {
    signIn(token);
  } else {
    showSignIn(message ?? '');
  }
}

function signIn(rawToken) {
  const token = String(rawToken ?? '').trim();
  const claims = decodeClaims(token);
  if (!claims) {
    forgetToken(sessionStorage);
    showSignIn(token ? 'That is not a JWT: a token has three parts separated by dots.' : '');
    return;
  }
  const access = accessOf(claims);
  if (isExpired(access, Date.now())) {
    forgetToken(sessionStorage);
    showSignIn('The token has expired: mint a new one (./dashboard token) and sign in again.');
    return;
  }
  storeToken(sessionStorage, token);
  $('token-input').value = '';
  start(token, access);
}

function showSignIn(message) {
  $('sign-in').hidden = false;
  $('dashboard').hidden = true;
  $('sections-nav').hidden = true;
  $('identity').hidden = true;
  $('sign-in-error').textContent = message;
  setConnection(State.DISCONNECTED, { reason: 'not signed in' });
  $('token-input').focus();
}

/** Signing out (or a refused token) reloads the page: every panel, timer and socket starts from nothing again. */
function signOut(message) {
  forgetToken(sessionStorage);
  if (message) {
    sessionStorage.setItem(SIGN_OUT_MESSAGE, message);
  }
  window.location.replace(BASE);
}

let retryCountdown = null;

function setConnection(state, info = {}) {
  const element = $('connection-state');
  element.dataset.state = state;
  element.classList.toggle('connection-failed', Boolean(info.fatal));
  const text = $('connection-text');
  const button = $('reconnect-button');
  const retry = $('connection-retry');
  clearInterval(retryCountdown);
  retry.textContent = '';
  button.hidden = !(state === State.RECONNECTING || (state === State.DISCONNECTED && info.fatal));
  switch (state) {
    case State.CONNECTING:
      text.textContent = 'Connecting…';
      break;
    case State.CONNECTED:
      text.textContent = 'Live';
      break;
    case State.RECONNECTING: {
      // the countdown sits outside what screen readers hear: the live region announces the state once, not every second
      text.textContent = 'Reconnecting';
      const show = () => {
        const seconds = info.retryAt ? Math.max(0, Math.ceil((info.retryAt - Date.now()) / 1000)) : 0;
        retry.textContent = seconds > 0 ? ` in ${seconds} s…` : '…';
      };
      show();
      if (info.retryAt) {
        retryCountdown = setInterval(show, 1000);
      }
      break;
    }
    default:
      text.textContent = info.reason && info.reason !== 'not signed in' ? `Offline: ${info.reason}` : 'Not connected';
  }
}

function start(token, access) {
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('sections-nav').hidden = false;
  $('identity').hidden = false;
  $('identity-user').textContent = access.user ?? 'unknown user';
  $('identity-admin').hidden = !access.admin;
  for (const element of document.querySelectorAll('.admin-only, [data-admin-only]')) {
    element.hidden = !access.admin;
  }
  $('sign-out-button').addEventListener('click', () => signOut(''));

  const toasts = createToasts($('toasts'));
  const api = createApi(BASE, () => token, () => signOut('The server refused the token (expired or revoked): sign in again.'));
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}${BASE}ws?token=${encodeURIComponent(token)}`;

  const panels = {};
  const client = new RealtimeClient({
    url: wsUrl,
    createSocket: (url) => new WebSocket(url),
    handlers: {
      onState: (state, info) => {
        setConnection(state, info);
        if (state === State.RECONNECTING && info.attempt >= 2) {
          checkToken();
        }
      },
      onMessage: (frame) => dispatch(frame),
      onRecoveryFailed: (channel) => recoveryFailed(channel),
      onDenied: (channel) => {
        if (channel.startsWith('task:')) {
          panels.tasks.denied(channel);
        }
      },
    },
  });

  const ctx = {
    api,
    client,
    access,
    base: BASE,
    token: () => token,
    now: () => Date.now(),
    toast: (toast) => toasts.show(toast),
    /** news between panels: 'projects' when the deployments panel follows new project channels */
    events: new EventTarget(),
  };

  panels.deployments = createDeploymentsPanel(ctx);
  panels.devices = createDevicesPanel(ctx);
  panels.tasks = createTasksPanel(ctx);
  panels.files = createFilesPanel(ctx);
  if (access.admin) {
    panels.webhooks = createWebhooksPanel(ctx);
    panels.system = createSystemPanel(ctx);
  }

  function dispatch(frame) {
    const event = String(frame.event ?? '');
    if (event === 'notification') {
      if (frame.replayed !== 'backfill') {
        toasts.show(frame.data ?? {});
      }
    } else if (event.startsWith('deployment:')) {
      panels.deployments.onFrame(frame);
    } else if (event.startsWith('task:')) {
      panels.tasks.onFrame(frame);
    } else if (event === 'device:upload') {
      panels.devices.onFrame(frame);
    } else if (event.startsWith('file:')) {
      panels.files.onFrame(frame);
    } else if (event.startsWith('webhook:')) {
      panels.webhooks?.onFrame(frame);
    }
  }

  function recoveryFailed(channel) {
    const namespace = channel.slice(0, channel.indexOf(':'));
    if (namespace === 'project' || namespace === 'deployment') {
      panels.deployments.reload();
    } else if (namespace === 'device') {
      panels.devices.reload();
    } else if (namespace === 'user' || namespace === 'task') {
      panels.tasks.recoveryFailed();
      panels.webhooks?.reload();
    }
  }

  /** A handshake refused with 401 looks like any lost connection to a browser: ask the API whether the token still works. */
  async function checkToken() {
    if (isExpired(access, Date.now())) {
      client.stop();
      signOut('The token has expired: mint a new one (./dashboard token) and sign in again.');
      return;
    }
    try {
      await api.get('api/v1/deployments', { limit: 1 });
    } catch {
      // a 401 signs out (createApi); anything else means the suite is away, and the client keeps trying
    }
  }

  $('reconnect-button').addEventListener('click', () => {
    if (client.state === State.DISCONNECTED) {
      client.start();
    } else {
      client.reconnectNow();
    }
  });
  window.addEventListener('online', () => client.reconnectNow());

  // personal channels: the server subscribes them on connect; subscribing again gives their position, so a
  // reconnect can recover them, and the backfill brings the user's recent task and file events
  if (access.user) {
    client.watch(`user:${access.user}`, { backfill: USER_BACKFILL });
  }
  client.watch('system:notifications');
  for (const panel of Object.values(panels)) {
    panel.start();
  }
  client.start();
  setInterval(() => {
    for (const panel of Object.values(panels)) {
      panel.tick?.();
    }
  }, TICK_MS);
}

main();
