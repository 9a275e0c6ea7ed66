// System (admins): the services' health (the gateway's /actuator/health, components.downstream), realtime-service's
// stats and the presence of the channels the page follows, and a form to publish a test notification
// (POST /api/v1/realtime/notifications, which takes an admin JWT or X-Api-Key).

import { encodePath } from '../api.js';
import { badge, debounce, h, renderScheduler, setText, syncList, syncStats, updateBadge } from '../dom.js';

const REFRESH_MS = 15000;
const API_KEY_STORAGE = 'dashboard-api-key';

export function createSystemPanel(ctx) {
  const services = document.getElementById('system-services');
  const stats = document.getElementById('system-stats');
  const presence = document.getElementById('system-presence');
  const presenceEmpty = document.getElementById('system-presence-empty');
  const activeUsers = document.getElementById('system-active-users');
  const note = document.getElementById('system-note');
  const form = document.getElementById('notify-form');
  const keyField = document.getElementById('notify-key-field');
  const keyInput = document.getElementById('notify-api-key');
  const result = document.getElementById('notify-result');
  let health = null;
  let realtime = null;
  let channels = [];
  const render = renderScheduler(draw);

  async function refresh() {
    const [healthAnswer, statsAnswer] = await Promise.allSettled([
      fetch('/actuator/health', { headers: { Accept: 'application/json', Authorization: `Bearer ${ctx.token()}` } }).then(
        (r) => r.json(),
      ),
      ctx.api.get('api/v1/realtime/stats', { limit: 20 }),
    ]);
    health = healthAnswer.status === 'fulfilled' ? healthAnswer.value : { status: 'UNREACHABLE' };
    realtime = statsAnswer.status === 'fulfilled' ? statsAnswer.value : null;
    const watched = ctx.client.channels.filter((c) => c.startsWith('project:') || c.startsWith('deployment:'));
    const answers = await Promise.allSettled(
      watched.map((channel) => ctx.api.get(`api/v1/realtime/presence/${encodePath(channel)}`)),
    );
    channels = answers.filter((a) => a.status === 'fulfilled').map((a) => a.value);
    render();
  }

  function draw() {
    const downstream = health?.components?.downstream?.components ?? {};
    const rows = [['gateway', health?.status ?? 'UNKNOWN'], ...Object.entries(downstream).map(([n, c]) => [n, c.status])];
    setText(note, health ? `checked ${new Date(ctx.now()).toLocaleTimeString()}` : '');
    syncList(
      services,
      rows,
      ([name]) => name,
      ([name]) => h('li', { class: 'service' }, h('span', { class: 'service-name', text: name }), badge('UNKNOWN')),
      (element, [, status]) => {
        element.dataset.status = status;
        updateBadge(element.querySelector('.badge'), status.toLowerCase(), status);
      },
    );

    const statRows = realtime
      ? [
          ['Connections', realtime.total_connections],
          ['Users connected', realtime.total_users],
          ['Active users (5 min)', realtime.active_user_count ?? realtime.active_users?.length ?? 0],
          ['Replicas', realtime.replicas ?? '—'],
        ]
      : [['Realtime stats', 'unavailable']];
    syncStats(stats, statRows);
    const users = realtime?.active_users ?? [];
    setText(
      activeUsers,
      users.length ? `Active: ${users.join(', ')}${realtime.active_users_truncated ? ', …' : ''}` : '',
    );

    syncList(
      presence,
      channels,
      (p) => p.channel,
      (p) => h('li', { class: 'presence' }, h('code', { text: p.channel }), h('span', { class: 'muted' })),
      (element, p) =>
        setText(
          element.querySelector('.muted'),
          `${p.num_clients} connection${p.num_clients === 1 ? '' : 's'} · ${p.num_users} user${p.num_users === 1 ? '' : 's'}`,
        ),
    );
    presenceEmpty.hidden = channels.length > 0;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      title: String(data.get('title') ?? '').trim(),
      message: String(data.get('message') ?? '').trim(),
      notification_type: String(data.get('notification_type') ?? 'info'),
    };
    const userId = String(data.get('user_id') ?? '').trim();
    if (userId) {
      body.user_id = userId;
    }
    const key = keyInput.value.trim() || sessionStorage.getItem(API_KEY_STORAGE);
    setText(result, 'Sending…');
    try {
      const answer = key
        ? await ctx.api.request('POST', 'api/v1/realtime/notifications', { body, auth: false, headers: { 'X-Api-Key': key } })
        : await ctx.api.post('api/v1/realtime/notifications', body);
      if (key) {
        sessionStorage.setItem(API_KEY_STORAGE, key);
      }
      setText(result, answer?.message ?? 'Sent');
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        // an admin JWT is enough (docs/realtime-service.md, Server API); where it is not, the API key is
        keyField.hidden = false;
        sessionStorage.removeItem(API_KEY_STORAGE);
        setText(result, `Refused (${error.status}): paste the API key (DASHBOARD_API_KEY) and send again.`);
      } else {
        setText(result, `Not sent: ${error.message}`);
      }
    }
  });

  return {
    start() {
      keyField.hidden = !sessionStorage.getItem(API_KEY_STORAGE);
      refresh();
      // and when the deployments panel follows new projects, whose presence is worth showing
      ctx.events.addEventListener('projects', debounce(refresh, 500));
      setInterval(refresh, REFRESH_MS);
    },
    tick: render,
  };
}
