// Webhooks (admins): push-service's registrations, push log and dead-letter queue, and the live `webhook:*` frames
// (`webhook.delivered`, `webhook.failed`, `webhook.dead_lettered`) of the task and deployment channels the page
// follows. The push log is read again now and then, since deliveries of tasks the page does not follow arrive on
// channels it is not subscribed to.

import { encodePath } from '../api.js';
import { badge, debounce, emptyState, h, renderScheduler, setData, setText, syncList, updateBadge } from '../dom.js';
import { formatAgo } from '../format.js';
import { activityNewestFirst, addPushLog, applyWebhookFrame, createActivityStore } from '../model.js';

const REFRESH_MS = 15000;
const SHOWN_ACTIVITY = 15;

export function createWebhooksPanel(ctx) {
  const activity = createActivityStore();
  const webhooks = new Map();
  let dlq = [];
  let dlqTotal = 0;
  let problem = null;
  let registrationsLoaded = false;
  const note = document.getElementById('webhooks-note');
  const registrations = document.getElementById('webhook-registrations');
  const activityList = document.getElementById('webhook-activity');
  const dlqList = document.getElementById('webhook-dlq');
  const activityEmpty = document.getElementById('webhook-activity-empty');
  const dlqEmpty = document.getElementById('webhook-dlq-empty');
  const render = renderScheduler(draw);

  async function loadRegistrations() {
    try {
      const answer = await ctx.api.get('api/v1/webhooks', { limit: 50 });
      webhooks.clear();
      for (const webhook of answer?.webhooks ?? []) {
        webhooks.set(webhook.id, webhook);
      }
      problem = null;
    } catch (error) {
      problem = `Webhooks could not be listed: ${error.message}`;
    }
    registrationsLoaded = true;
    render();
  }

  async function loadDeliveries() {
    const [logs, dead] = await Promise.allSettled([
      ctx.api.get('api/v1/push/logs', { limit: 30 }),
      ctx.api.get('api/v1/push/dlq', { limit: 20 }),
    ]);
    if (logs.status === 'fulfilled') {
      for (const log of logs.value?.logs ?? []) {
        addPushLog(activity, log);
      }
    }
    if (dead.status === 'fulfilled') {
      dlq = dead.value?.deliveries ?? [];
      dlqTotal = dead.value?.total ?? dlq.length;
    }
    render();
  }

  const refreshSoon = debounce(loadDeliveries, 1000);

  function onFrame(frame) {
    if (applyWebhookFrame(activity, frame, ctx.now())) {
      if (frame.type === 'webhook.dead_lettered') {
        refreshSoon();
      }
      render();
    }
  }

  async function repush(delivery, button) {
    button.disabled = true;
    try {
      const answer = await ctx.api.post(`api/v1/push/dlq/${encodePath(delivery.task_id)}/retry`, undefined, {
        query: { webhook_id: delivery.webhook_id },
      });
      ctx.toast({
        title: `Task ${delivery.task_id} pushed again`,
        message: answer?.message ?? `${answer?.repushed ?? 0} deliveries back in the queue`,
        type: 'success',
      });
      loadDeliveries();
    } catch (error) {
      button.disabled = false;
      ctx.toast({ title: 'Re-push failed', message: error.message, type: 'error' });
    }
  }

  function webhookName(id) {
    return webhooks.get(id)?.name ?? (id ? String(id).slice(0, 8) : 'webhook');
  }

  function draw() {
    setText(
      note,
      problem ?? `${webhooks.size} registered · ${dlqTotal} dead-lettered`,
    );

    const hooks = [...webhooks.values()];
    if (hooks.length === 0 && registrationsLoaded) {
      if (!registrations.querySelector('.empty')) {
        registrations.replaceChildren(h('li', {}, emptyWebhooks(ctx)));
      }
    } else {
      registrations.querySelector('.empty')?.parentElement.remove();
      syncList(
        registrations,
        hooks,
        (w) => w.id,
        () =>
          h(
            'li',
            { class: 'registration' },
            h('div', { class: 'registration-head' }, h('strong', { class: 'registration-name' }), badge('enabled')),
            h('code', { class: 'registration-url' }),
            h('p', { class: 'registration-meta muted' }),
          ),
        (element, w) => {
          setData(element, 'webhookId', w.id);
          setText(element.querySelector('.registration-name'), w.name);
          updateBadge(element.querySelector('.badge'), w.enabled ? 'enabled' : 'disabled');
          setText(element.querySelector('.registration-url'), w.url);
          setText(
            element.querySelector('.registration-meta'),
            [(w.event_types ?? []).join(', '), w.subject_prefix ? `subject ${w.subject_prefix}*` : null, w.disabled_reason]
              .filter(Boolean)
              .join(' · '),
          );
        },
      );
    }

    const entries = activityNewestFirst(activity).slice(0, SHOWN_ACTIVITY);
    syncList(
      activityList,
      entries,
      (e) => e.key,
      () =>
        h(
          'li',
          { class: 'activity' },
          badge('delivered'),
          h('span', { class: 'activity-main' }, h('code', { class: 'activity-task' }), h('span', { class: 'activity-webhook' })),
          h('span', { class: 'activity-when muted' }),
          h('span', { class: 'activity-detail muted' }),
        ),
      (element, e) => {
        setData(element, 'taskId', e.task_id ?? '');
        setData(element, 'outcome', e.outcome);
        updateBadge(element.querySelector('.badge'), e.outcome, e.outcome.replace('_', ' '));
        setText(element.querySelector('.activity-task'), e.task_id ?? '—');
        setText(element.querySelector('.activity-webhook'), `→ ${webhookName(e.webhook_id)}`);
        setText(
          element.querySelector('.activity-detail'),
          [
            e.http_status !== null ? `HTTP ${e.http_status}` : null,
            e.duration_ms !== null ? `${e.duration_ms} ms` : null,
            e.retry_count ? `retry ${e.retry_count}` : null,
            e.outcome !== 'delivered' && e.error !== `HTTP ${e.http_status}` ? e.error : null,
          ]
            .filter(Boolean)
            .join(' · '),
        );
        setText(element.querySelector('.activity-when'), formatAgo(e.at, ctx.now()));
      },
    );
    activityEmpty.hidden = entries.length > 0;

    syncList(
      dlqList,
      dlq,
      (d) => d.id,
      (d) => {
        const button = h('button', {
          type: 'button',
          class: 'button button-small',
          text: 'Re-push',
          attrs: { 'aria-label': `Push task ${d.task_id} to ${webhookName(d.webhook_id)} again` },
        });
        button.addEventListener('click', () => repush(d, button));
        return h(
          'li',
          { class: 'dead-letter', data: { taskId: d.task_id } },
          h(
            'div',
            { class: 'dead-letter-main' },
            h('code', { class: 'dead-letter-task' }),
            h('span', { class: 'dead-letter-detail muted' }),
          ),
          button,
        );
      },
      (element, d) => {
        setText(element.querySelector('.dead-letter-task'), d.task_id ?? '—');
        setText(
          element.querySelector('.dead-letter-detail'),
          [d.event_type, `→ ${webhookName(d.webhook_id)}`, d.failure_reason, d.dead_at ? formatAgo(d.dead_at, ctx.now()) : null]
            .filter(Boolean)
            .join(' · '),
        );
      },
    );
    dlqEmpty.hidden = dlq.length > 0;
  }

  return {
    start() {
      loadRegistrations();
      loadDeliveries();
      setInterval(loadDeliveries, REFRESH_MS);
      setInterval(loadRegistrations, REFRESH_MS * 4);
    },
    onFrame,
    reload: loadDeliveries,
    tick: render,
  };
}

function emptyWebhooks(ctx) {
  const url = `${location.origin}${ctx.base}api/v1/webhooks`;
  return emptyState(
    'No webhooks registered. Register one to have task results pushed on (docs/push-service.md):',
    [
      `curl -s -X POST ${url} \\`,
      `  -H "Authorization: Bearer $(./dashboard token --admin)" -H 'Content-Type: application/json' \\`,
      `  -d '{"name": "ERP", "url": "https://erp.example.com/hooks/idp", "event_types": ["task.completed"]}'`,
    ].join('\n'),
  );
}
