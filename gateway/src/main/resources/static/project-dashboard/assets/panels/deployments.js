// Deployments per project: deploy-notifier's query and metrics APIs for what happened before the page opened,
// `deployment:*` frames of the `project:{name}` channels for what happens now.

import { drawChart, durationChart } from '../chart.js';
import {
  badge,
  debounce,
  emptyState,
  h,
  listOrEmpty,
  renderScheduler,
  setData,
  setText,
  syncList,
  syncStats,
  updateBadge,
} from '../dom.js';
import { formatAgo, formatClock, formatDuration, formatRate, toMillis } from '../format.js';
import {
  applyDeploymentFrame,
  createDeploymentStore,
  deploymentsNewestFirst,
  mergeDeploymentSnapshot,
  projectOf,
  setDeploymentLogs,
} from '../model.js';
import { encodePath } from '../api.js';

const SHOWN_PER_PROJECT = 5;
const DETAILED_PER_PROJECT = 3;
const CHART_POINTS = 20;
const DISCOVERY_INTERVAL_MS = 10000;

const STEP_ICONS = { completed: '✓', success: '✓', failed: '✕', retrying: '↻', skipped: '–', cancelled: '–' };
const RESULT_TEXT = {
  success: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

export function createDeploymentsPanel(ctx) {
  const store = createDeploymentStore();
  const body = document.getElementById('deployments-body');
  const note = document.getElementById('deployments-note');
  const watched = new Set();
  const metricsRefreshers = new Map();
  let discovered = false;
  let problem = null;
  const render = renderScheduler(draw);

  async function discover() {
    try {
      let names = ctx.access.projects;
      if (ctx.access.allProjects) {
        const answer = await ctx.api.get('api/v1/projects');
        names = (answer?.items ?? []).map((item) => String(item.project));
      }
      problem = null;
      let added = false;
      for (const name of names) {
        projectOf(store, name);
        if (!watched.has(name)) {
          watched.add(name);
          added = true;
          ctx.client.watch(`project:${name}`);
          load(name);
        }
      }
      if (added) {
        ctx.events.dispatchEvent(new Event('projects'));
      }
    } catch (error) {
      problem = `Projects could not be listed: ${error.message}`;
    }
    discovered = true;
    render();
  }

  async function load(name) {
    const project = projectOf(store, name);
    const [list, metrics] = await Promise.allSettled([
      ctx.api.get('api/v1/deployments', { project: name, limit: CHART_POINTS }),
      ctx.api.get(`api/v1/projects/${encodePath(name)}/metrics`, { window: 'P30D' }),
    ]);
    if (list.status === 'fulfilled') {
      for (const item of list.value?.items ?? []) {
        mergeDeploymentSnapshot(store, item);
      }
    }
    if (metrics.status === 'fulfilled') {
      project.metrics = metrics.value;
    }
    render();
    const newest = deploymentsNewestFirst(project).slice(0, DETAILED_PER_PROJECT);
    await Promise.allSettled(newest.map((d) => loadDetail(d.project, d.deployment_id)));
    if (newest[0]) {
      await loadLogs(newest[0].project, newest[0].deployment_id).catch(() => {});
    }
    render();
  }

  async function loadDetail(project, id) {
    const detail = await ctx.api.get(`api/v1/deployments/${encodePath(id)}`, { project });
    mergeDeploymentSnapshot(store, detail);
  }

  async function loadLogs(project, id) {
    const answer = await ctx.api.get(`api/v1/deployments/${encodePath(id)}/logs`, { project, limit: 1000 });
    setDeploymentLogs(store, project, id, answer?.items ?? []);
  }

  function refreshMetrics(name) {
    if (!metricsRefreshers.has(name)) {
      metricsRefreshers.set(
        name,
        debounce(async () => {
          try {
            projectOf(store, name).metrics = await ctx.api.get(`api/v1/projects/${encodePath(name)}/metrics`, {
              window: 'P30D',
            });
            render();
          } catch {
            // the numbers stay as they were; the next completion tries again
          }
        }, 800),
      );
    }
    metricsRefreshers.get(name)();
  }

  function onFrame(frame) {
    const deployment = applyDeploymentFrame(store, frame, ctx.now());
    if (!deployment) {
      return;
    }
    if (frame.event === 'deployment:completed' && frame.replayed !== 'backfill') {
      refreshMetrics(deployment.project);
      const verb = RESULT_TEXT[deployment.status] ?? deployment.status;
      ctx.toast({
        title: `${deployment.project} #${deployment.deployment_id}: ${verb.toLowerCase()}`,
        message: deployment.duration !== null ? `in ${formatDuration(deployment.duration)}` : '',
        type: deployment.status === 'success' ? 'success' : deployment.status === 'failed' ? 'error' : 'info',
      });
    }
    render();
  }

  /** After a recovery the server could not make: reload what deploy-notifier stored. */
  function reload() {
    for (const name of watched) {
      load(name);
    }
  }

  function draw() {
    const projects = [...store.projects.values()].sort((a, b) => a.name.localeCompare(b.name));
    setText(
      note,
      problem ?? (projects.length ? `${projects.length} project${projects.length === 1 ? '' : 's'} · last 30 days` : ''),
    );
    if (!discovered && projects.length === 0) {
      body.replaceChildren(h('p', { class: 'muted', text: 'Loading deployments…' }));
      return;
    }
    const list = listOrEmpty(
      body,
      projects.length > 0,
      () => h('div', { class: 'project-list' }),
      () => emptyDeployments(ctx),
    );
    if (list) {
      syncList(list, projects, (p) => p.name, createProject, updateProject);
    }
  }

  function tick() {
    render();
  }

  return {
    start() {
      discover();
      setInterval(discover, DISCOVERY_INTERVAL_MS);
    },
    onFrame,
    reload,
    tick,
  };

  function createProject(project) {
    const element = h(
      'article',
      { class: 'project', data: { project: project.name }, attrs: { 'aria-label': `Project ${project.name}` } },
      h(
        'header',
        { class: 'project-head' },
        h('h3', { class: 'project-name', text: project.name }),
        h('dl', { class: 'project-stats' }),
        h('div', { class: 'chart-holder' }),
      ),
      h('ol', { class: 'deployment-list', attrs: { 'aria-label': `Recent deployments of ${project.name}` } }),
    );
    element.append(firstNotification(ctx, project.name));
    return element;
  }

  function updateProject(element, project) {
    const metrics = project.metrics ?? {};
    const stats = element.querySelector('.project-stats');
    const statItems = [
      ['Success', formatRate(metrics.success_rate)],
      ['p50', formatDuration(metrics.p50_duration)],
      ['p95', formatDuration(metrics.p95_duration)],
      ['Runs', metrics.count ?? '—'],
    ];
    syncStats(stats, statItems);

    const deployments = deploymentsNewestFirst(project);
    const points = deployments
      .slice(0, CHART_POINTS)
      .reverse()
      .map((d) => ({ id: `#${d.deployment_id}`, duration: d.duration, status: d.completed_at ? d.status : 'running' }));
    const marks = [
      { name: 'p50', value: metrics.p50_duration },
      { name: 'p95', value: metrics.p95_duration },
    ];
    const signature = JSON.stringify([points, marks]);
    const holder = element.querySelector('.chart-holder');
    holder.hidden = points.length === 0;
    if (holder.dataset.signature !== signature) {
      holder.dataset.signature = signature;
      const chart = durationChart(points, { marks, width: 240, height: 48, slots: CHART_POINTS });
      const decided = points.filter((p) => Number.isFinite(p.duration));
      const summary = decided.length
        ? `Durations of the last ${decided.length} deployments of ${project.name}, from ${formatDuration(
            Math.min(...decided.map((p) => p.duration)),
          )} to ${formatDuration(Math.max(...decided.map((p) => p.duration)))}`
        : `No finished deployments of ${project.name} yet`;
      holder.replaceChildren(
        drawChart(document, chart, summary),
        h('span', { class: 'chart-caption', text: `last ${points.length} · scale ${formatDuration(chart.max)}` }),
      );
    }

    element.querySelector(':scope > .empty').hidden = deployments.length > 0;
    syncList(
      element.querySelector('.deployment-list'),
      deployments.slice(0, SHOWN_PER_PROJECT),
      (d) => d.deployment_id,
      createDeployment,
      updateDeployment,
    );
  }

  function createDeployment(deployment) {
    const logs = h(
      'details',
      { class: 'logs', open: deployment.completed_at === null },
      h('summary', {}, h('span', { class: 'logs-title', text: 'Log' })),
      h('ol', { class: 'log-lines' }),
    );
    logs.addEventListener('toggle', () => {
      if (logs.open && !logs.dataset.loaded) {
        logs.dataset.loaded = 'true';
        loadLogs(deployment.project, deployment.deployment_id).then(render, () => {});
      }
    });
    return h(
      'li',
      { class: 'deployment', data: { deploymentId: deployment.deployment_id, project: deployment.project } },
      h(
        'div',
        { class: 'deployment-head' },
        badge('running'),
        h('span', { class: 'deployment-id', text: `#${deployment.deployment_id}` }),
        h('span', { class: 'deployment-workflow' }),
        h('span', { class: 'deployment-when' }),
        h('span', { class: 'deployment-duration' }),
      ),
      h('ol', { class: 'steps', attrs: { 'aria-label': 'Steps' } }),
      h('p', { class: 'deployment-result' }),
      logs,
    );
  }

  function updateDeployment(element, deployment) {
    const finished = deployment.completed_at !== null;
    const status = finished ? deployment.status : 'running';
    setData(element, 'status', status);
    updateBadge(element.querySelector('.badge'), status);
    setText(element.querySelector('.deployment-workflow'), deployment.workflow_name ?? '');
    const when = element.querySelector('.deployment-when');
    setText(when, deployment.started_at ? `started ${formatAgo(deployment.started_at, ctx.now())}` : '');
    const duration = element.querySelector('.deployment-duration');
    if (finished) {
      setText(duration, formatDuration(deployment.duration));
    } else {
      const started = toMillis(deployment.started_at);
      setText(duration, started ? `${formatDuration(Math.round((ctx.now() - started) / 1000))} so far` : '');
    }

    const steps = element.querySelector('.steps');
    steps.hidden = deployment.steps.length === 0;
    syncList(
      steps,
      deployment.steps,
      (s) => s.step_name,
      (s) =>
        h(
          'li',
          { class: 'step', data: { step: s.step_name } },
          h('span', { class: 'step-icon', attrs: { 'aria-hidden': 'true' } }),
          h('span', { class: 'step-name', text: s.step_name }),
          h('span', { class: 'step-status visually-hidden' }),
          h('span', { class: 'step-duration' }),
        ),
      (item, s) => {
        setData(item, 'status', s.status);
        setText(item.querySelector('.step-icon'), STEP_ICONS[s.status] ?? '');
        setText(item.querySelector('.step-status'), s.status);
        setText(item.querySelector('.step-duration'), s.duration !== null ? formatDuration(s.duration) : '');
        item.title = [s.status, s.logs].filter(Boolean).join(' — ');
      },
    );

    // the badge and the duration already say how it went; a sentence only where there is more to say
    const result = element.querySelector('.deployment-result');
    const summary = deployment.logs_summary ?? '';
    if (finished && (summary || deployment.status !== 'success')) {
      const verb = RESULT_TEXT[deployment.status] ?? deployment.status;
      setText(
        result,
        `${verb}${
          deployment.duration !== null
            ? `${deployment.status === 'success' ? ' in' : ' after'} ${formatDuration(deployment.duration)}`
            : ''
        }${
          summary ? ` — ${summary}` : ''
        }`,
      );
      result.hidden = false;
    } else {
      result.hidden = true;
    }

    const logs = element.querySelector('.logs');
    logs.hidden = finished && deployment.logs.length === 0;
    setText(logs.querySelector('.logs-title'), `Log · ${deployment.logs.length} line${deployment.logs.length === 1 ? '' : 's'}`);
    const lines = logs.querySelector('.log-lines');
    const atBottom = lines.scrollHeight - lines.scrollTop - lines.clientHeight < 24;
    const shown = lines.children.length;
    if (shown > deployment.logs.length || lines.dataset.first !== firstLineKey(deployment)) {
      lines.replaceChildren();
    }
    lines.dataset.first = firstLineKey(deployment);
    for (const line of deployment.logs.slice(lines.children.length)) {
      lines.append(
        h(
          'li',
          { class: `log-line level-${line.level}` },
          h('time', { text: formatClock(line.timestamp) }),
          h('span', { class: 'log-level', text: line.level }),
          h('span', { class: 'log-message', text: line.message }),
        ),
      );
    }
    if (atBottom) {
      lines.scrollTop = lines.scrollHeight;
    }
  }
}

function firstLineKey(deployment) {
  const first = deployment.logs[0];
  return first ? `${first.timestamp}|${first.message}` : '';
}

function emptyDeployments(ctx) {
  if (!ctx.access.allProjects && ctx.access.projects.length === 0) {
    return emptyState(
      'Your token lets you watch no projects. Ask for one whose projects claim lists them, for example:',
      './dashboard token --user alice --projects demo',
    );
  }
  return firstNotification(ctx, 'demo');
}

/** The empty state of a project (or of all of them): how to post a first deployment notification. */
function firstNotification(ctx, project) {
  const url = `${location.origin}${ctx.base}api/webhooks/deployment`;
  return emptyState(
    'No deployments yet. Post the first notification from a CI step (signed with DEPLOY_WEBHOOK_SECRET; ' +
      'docs/deploy-notifier.md and docs/github-actions.md have the rest):',
    [
      `BODY='{"type":"step_started","project":${JSON.stringify(project)},"deployment_id":"1","step_name":"build"}'`,
      `SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$DEPLOY_WEBHOOK_SECRET" | sed 's/^.* //')`,
      `curl -s -X POST -H 'Content-Type: application/json' \\`,
      `  -H "X-Hub-Signature-256: sha256=$SIG" -d "$BODY" ${url}`,
    ].join('\n'),
  );
}
