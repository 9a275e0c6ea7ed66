// Tasks: source 000's task events. They reach the page on the user's own `user:{sub}` channel (and, once a task is
// known, its `task:{id}` channel, which also carries the task's webhook deliveries); there is no task REST API, so
// what happened before the page opened comes from the channel's history (a backfill on subscribe).

import {
  badge,
  emptyState,
  h,
  listOrEmpty,
  renderScheduler,
  setData,
  setProgress,
  setText,
  syncList,
  updateBadge,
} from '../dom.js';
import { formatAgo, formatDuration, formatPercent } from '../format.js';
import { applyTaskFrame, createTaskStore, tasksForDisplay } from '../model.js';

const SHOWN = 12;
const WATCHED_TASK_CHANNELS = 40;
const TASK_BACKFILL = 100;

export function createTasksPanel(ctx) {
  const store = createTaskStore();
  const body = document.getElementById('tasks-body');
  const form = document.getElementById('follow-task-form');
  const input = document.getElementById('follow-task-id');
  const taskChannels = [];
  const render = renderScheduler(draw);

  function watchTask(id, backfill = 0) {
    const channel = `task:${id}`;
    if (ctx.client.isWatching(channel)) {
      return;
    }
    ctx.client.watch(channel, { backfill });
    taskChannels.push(channel);
    // keep within the server's subscription limit per connection (128, personal channels included)
    while (taskChannels.length > WATCHED_TASK_CHANNELS) {
      ctx.client.unwatch(taskChannels.shift());
    }
  }

  function onFrame(frame) {
    const task = applyTaskFrame(store, frame, ctx.now());
    if (!task) {
      return;
    }
    watchTask(task.task_id);
    if (frame.replayed === 'backfill') {
      // history from before the page opened: shown, not announced
    } else if (frame.event === 'task:completed') {
      ctx.toast({
        title: `Task ${task.task_id} completed`,
        message: task.render_time !== null ? `rendered in ${formatDuration(task.render_time)}` : '',
        type: 'success',
      });
    } else if (frame.event === 'task:failed') {
      ctx.toast({ title: `Task ${task.task_id} failed`, message: task.error_message ?? '', type: 'error' });
    }
    render();
  }

  /** A recovery the server could not make: the history is gone too, so say so rather than show stale bars. */
  function recoveryFailed() {
    ctx.toast({
      title: 'Some task updates were missed',
      message: 'The connection was away longer than the server keeps history; task bars show the last update seen.',
      type: 'warning',
    });
  }

  function draw() {
    const tasks = tasksForDisplay(store).slice(0, SHOWN);
    const list = listOrEmpty(
      body,
      tasks.length > 0,
      () => h('ul', { class: 'task-list', attrs: { 'aria-label': 'Tasks' } }),
      () => emptyTasks(ctx),
    );
    if (list) {
      syncList(list, tasks, (t) => t.task_id, createTask, (element, task) => updateTask(element, task, ctx));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = input.value.trim();
    if (!id || !input.checkValidity()) {
      input.reportValidity();
      return;
    }
    watchTask(id, TASK_BACKFILL);
    ctx.toast({ title: `Following task ${id}`, message: 'Its updates appear here as they arrive.', type: 'info' });
    input.value = '';
  });

  return {
    start() {
      draw();
    },
    onFrame,
    recoveryFailed,
    tick: render,
    denied(channel) {
      ctx.toast({ title: `Not allowed to follow ${channel}`, message: 'The task belongs to another user.', type: 'warning' });
    },
  };
}

function createTask(task) {
  const labelId = `task-${String(task.task_id).replace(/[^A-Za-z0-9_-]/g, '_')}-label`;
  return h(
    'li',
    { class: 'task', data: { taskId: task.task_id } },
    h(
      'div',
      { class: 'task-head' },
      h('code', { class: 'task-id', text: task.task_id, attrs: { id: labelId } }),
      badge(task.status),
      h('span', { class: 'task-when muted' }),
    ),
    h(
      'div',
      { class: 'task-progress' },
      h('progress', { max: 100, value: 0, attrs: { 'aria-labelledby': labelId } }),
      h('span', { class: 'task-percent' }),
    ),
    h('p', { class: 'task-detail' }),
    h('p', { class: 'task-log muted' }),
  );
}

function updateTask(element, task, ctx) {
  setData(element, 'status', task.status);
  updateBadge(element.querySelector('.badge'), task.status);
  const who = ctx.access.user && task.user_id && task.user_id !== ctx.access.user ? `${task.user_id} · ` : '';
  setText(element.querySelector('.task-when'), `${who}${task.updatedAt ? formatAgo(task.updatedAt, ctx.now()) : 'earlier'}`);
  setProgress(element.querySelector('progress'), task.progress);
  setText(element.querySelector('.task-percent'), formatPercent(task.progress));
  let detail;
  if (task.status === 'completed') {
    const files = task.result_files.length ? ` · ${task.result_files.join(', ')}` : '';
    const cost = task.cost !== null && task.cost !== undefined ? ` · cost ${task.cost}` : '';
    detail = `${task.render_time !== null ? `Rendered in ${formatDuration(task.render_time)}` : 'Completed'}${cost}${files}`;
  } else if (task.status === 'failed') {
    detail = [task.error_message, task.error_details].filter(Boolean).join(' — ') || 'Failed';
  } else {
    const frames =
      task.current_frame !== null && task.total_frames !== null ? `frame ${task.current_frame} of ${task.total_frames}` : null;
    detail = [frames, task.message].filter(Boolean).join(' · ');
  }
  const detailElement = element.querySelector('.task-detail');
  setText(detailElement, detail);
  detailElement.classList.toggle('error-text', task.status === 'failed');
  const last = task.logs.at(-1);
  const log = element.querySelector('.task-log');
  setText(log, last ? `${last.level}: ${last.message}` : '');
  log.hidden = !last;
}

function emptyTasks(ctx) {
  const url = `${location.origin}${ctx.base}api/v1/realtime/publish`;
  const user = ctx.access.user ?? 'alice';
  return emptyState(
    `No tasks yet. Tasks appear when a backend publishes source 000's task events for you (user ${user}), e.g.:`,
    [
      `curl -s -X POST ${url} \\`,
      `  -H "X-Api-Key: $DASHBOARD_API_KEY" -H 'Content-Type: application/json' \\`,
      `  -d '{"channel": "task:T_0001", "type": "task.progress",`,
      `       "data": {"task_id": "T_0001", "user_id": "${user}", "progress": 40, "message": "rendering"}}'`,
    ].join('\n'),
  );
}
