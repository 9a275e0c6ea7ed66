// What the page knows, built from REST snapshots and realtime frames. Pure: every function takes the store and the
// frame (and `now` where time matters) and changes only the store, so node's test runner can drive it.

import { framePositions } from './realtime.js';
import { toMillis } from './format.js';

const MAX_DEPLOYMENT_LOGS = 200;
const MAX_TASK_LOGS = 50;
const MAX_FINISHED_UPLOADS = 8;
const MAX_ACTIVITY = 50;

/**
 * True when the record already saw a newer publication on one of the frame's channels: a replay (backfill) can
 * arrive after live frames, and must not move a progress bar back.
 */
export function isStale(record, frame) {
  return framePositions(frame).some(([channel, offset]) => (record.seen?.[channel] ?? 0) >= offset);
}

function markSeen(record, frame) {
  record.seen ??= {};
  for (const [channel, offset] of framePositions(frame)) {
    record.seen[channel] = Math.max(record.seen[channel] ?? 0, offset);
  }
}

// ---------------------------------------------------------------------------------------------------- deployments

/** Projects by name; each with its deployments by id, its metrics (deploy-notifier) and recent durations. */
export function createDeploymentStore() {
  return { projects: new Map() };
}

export function projectOf(store, name) {
  let project = store.projects.get(name);
  if (!project) {
    project = { name, deployments: new Map(), metrics: null, summary: null };
    store.projects.set(name, project);
  }
  return project;
}

function deploymentOf(store, projectName, id) {
  const project = projectOf(store, projectName);
  let deployment = project.deployments.get(id);
  if (!deployment) {
    deployment = {
      project: projectName,
      deployment_id: id,
      status: 'running',
      workflow_name: null,
      started_at: null,
      completed_at: null,
      duration: null,
      steps: [],
      logs: [],
      metrics: null,
      seen: {},
    };
    project.deployments.set(id, deployment);
  }
  return deployment;
}

function stepOf(deployment, name) {
  let step = deployment.steps.find((s) => s.step_name === name);
  if (!step) {
    step = { step_name: name, status: 'started', started_at: null, completed_at: null, duration: null, logs: null };
    deployment.steps.push(step);
  }
  return step;
}

function earliest(a, b) {
  if (!a) return b ?? null;
  if (!b) return a;
  return toMillis(a) <= toMillis(b) ? a : b;
}

/**
 * Applies a `deployment:*` frame (docs/realtime-service.md: `deployment:step`, `deployment:completed`,
 * `deployment:log`, `deployment:metrics`; `data` with source 002's fields). Returns the deployment it changed, or
 * null when the frame is not about one (or is older than what the deployment shows).
 */
export function applyDeploymentFrame(store, frame, now) {
  const data = frame.data ?? {};
  if (typeof frame.event !== 'string' || !frame.event.startsWith('deployment:')) {
    return null;
  }
  if (data.project === undefined || data.deployment_id === undefined) {
    return null;
  }
  const deployment = deploymentOf(store, String(data.project), String(data.deployment_id));
  if (isStale(deployment, frame)) {
    return null;
  }
  markSeen(deployment, frame);
  if (data.workflow_name) {
    deployment.workflow_name = data.workflow_name;
  }
  switch (frame.event) {
    case 'deployment:step': {
      const step = stepOf(deployment, String(data.step_name ?? 'step'));
      const started = frame.type === 'deployment.step_started';
      step.status = data.step_status ?? (frame.type === 'deployment.step_failed' ? 'failed' : started ? 'started' : 'completed');
      if (started) {
        step.started_at = data.timestamp ?? step.started_at;
        deployment.started_at = earliest(deployment.started_at, data.timestamp);
      } else {
        step.completed_at = data.timestamp ?? step.completed_at;
      }
      // source 002 sends `duration: 0` with step_started for "not known yet"
      if (typeof data.duration === 'number' && !(started && data.duration === 0)) {
        step.duration = data.duration;
      }
      if (data.logs) {
        step.logs = data.logs;
      }
      if (deployment.completed_at === null) {
        deployment.status = 'running';
      }
      break;
    }
    case 'deployment:completed':
      deployment.status = data.status ?? deployment.status;
      deployment.duration = typeof data.duration === 'number' ? data.duration : deployment.duration;
      deployment.started_at = earliest(deployment.started_at, data.started_at);
      deployment.completed_at = data.completed_at ?? data.timestamp ?? new Date(now).toISOString();
      if (data.logs) {
        deployment.logs_summary = data.logs;
      }
      break;
    case 'deployment:log':
      deployment.logs.push({
        timestamp: data.timestamp ?? null,
        level: data.level ?? 'info',
        message: String(data.message ?? ''),
        source: data.source ?? null,
      });
      if (deployment.logs.length > MAX_DEPLOYMENT_LOGS) {
        deployment.logs.splice(0, deployment.logs.length - MAX_DEPLOYMENT_LOGS);
      }
      break;
    case 'deployment:metrics':
      deployment.metrics = data.metrics ?? null;
      break;
    default:
      return null;
  }
  return deployment;
}

/**
 * Merges deploy-notifier's answer for one deployment (`GET /api/v1/deployments/{id}`, or an item of the list) into
 * the store: what the service stored wins over what the page pieced together, except log lines, which the page keeps
 * as it streamed them when the snapshot has none.
 */
export function mergeDeploymentSnapshot(store, snapshot) {
  const deployment = deploymentOf(store, String(snapshot.project), String(snapshot.deployment_id));
  // a snapshot taken before the completion the page has already streamed must not reopen the deployment
  const behind = deployment.completed_at !== null && !snapshot.completed_at;
  const fields = behind ? ['workflow_name', 'started_at', 'html_url'] : ['status', 'workflow_name', 'started_at', 'completed_at', 'duration', 'html_url'];
  for (const field of fields) {
    if (snapshot[field] !== undefined && snapshot[field] !== null) {
      deployment[field] = snapshot[field];
    }
  }
  if (typeof snapshot.logs === 'string' && snapshot.logs !== '' && !behind) {
    deployment.logs_summary = snapshot.logs;
  }
  if (Array.isArray(snapshot.steps)) {
    for (const s of snapshot.steps) {
      const step = stepOf(deployment, String(s.step_name));
      if (step.completed_at && !s.completed_at) {
        continue;
      }
      Object.assign(step, {
        status: s.status ?? step.status,
        started_at: s.started_at ?? step.started_at,
        completed_at: s.completed_at ?? step.completed_at,
        duration: s.duration ?? step.duration,
        logs: s.logs ?? step.logs,
      });
    }
  }
  if (snapshot.metrics) {
    deployment.metrics = snapshot.metrics;
  }
  return deployment;
}

/** Log lines from `GET /api/v1/deployments/{id}/logs`, replacing what was streamed (they include it). */
export function setDeploymentLogs(store, project, id, items) {
  const deployment = deploymentOf(store, String(project), String(id));
  deployment.logs = items.slice(-MAX_DEPLOYMENT_LOGS).map((line) => ({
    timestamp: line.timestamp ?? null,
    level: line.level ?? 'info',
    message: String(line.message ?? ''),
    source: line.source ?? null,
  }));
  return deployment;
}

/** A project's deployments, newest first (by start, then by id). */
export function deploymentsNewestFirst(project) {
  // a deployment whose start is not known yet has only just begun
  const start = (d) => toMillis(d.started_at) ?? Number.MAX_SAFE_INTEGER;
  return [...project.deployments.values()].sort(
    (a, b) =>
      start(b) - start(a) ||
      String(b.deployment_id).localeCompare(String(a.deployment_id), undefined, { numeric: true }),
  );
}

// ---------------------------------------------------------------------------------------------------------- tasks

const PENDING_STATUSES = new Set(['', 'queued', 'pending', 'created', 'waiting']);

/** Tasks by id, from source 000's task events. */
export function createTaskStore() {
  return { tasks: new Map(), sequence: 0 };
}

/**
 * Applies a `task:*` frame: `task:progress` (`progress, current_frame, total_frames, message`), `task:status`
 * (`status, message`), `task:completed` (`result_files, render_time, cost`), `task:failed` (`error_message,
 * error_details`), `task:log` (`level, message`). Returns the task, or null.
 */
export function applyTaskFrame(store, frame, now) {
  const data = frame.data ?? {};
  if (typeof frame.event !== 'string' || !frame.event.startsWith('task:') || data.task_id === undefined) {
    return null;
  }
  const id = String(data.task_id);
  let task = store.tasks.get(id);
  if (!task) {
    task = {
      task_id: id,
      user_id: null,
      status: 'pending',
      progress: 0,
      current_frame: null,
      total_frames: null,
      message: null,
      result_files: [],
      render_time: null,
      cost: null,
      error_message: null,
      error_details: null,
      logs: [],
      updatedAt: null,
      order: 0,
      seen: {},
    };
    store.tasks.set(id, task);
  }
  if (isStale(task, frame)) {
    return null;
  }
  markSeen(task, frame);
  store.sequence += 1;
  task.order = store.sequence;
  // a backfilled frame happened before the page opened, at a time the frame does not say
  if (frame.replayed !== 'backfill') {
    task.updatedAt = now;
  }
  if (data.user_id !== undefined) {
    task.user_id = String(data.user_id);
  }
  switch (frame.event) {
    case 'task:progress':
      if (Number.isFinite(data.progress)) {
        task.progress = data.progress;
      }
      task.current_frame = data.current_frame ?? task.current_frame;
      task.total_frames = data.total_frames ?? task.total_frames;
      task.message = data.message ?? task.message;
      if (PENDING_STATUSES.has(task.status)) {
        task.status = 'running';
      }
      break;
    case 'task:status':
      task.status = String(data.status ?? task.status);
      task.message = data.message ?? task.message;
      break;
    case 'task:completed':
      task.status = 'completed';
      task.progress = 100;
      task.result_files = Array.isArray(data.result_files) ? data.result_files.map(String) : task.result_files;
      task.render_time = data.render_time ?? task.render_time;
      task.cost = data.cost ?? task.cost;
      break;
    case 'task:failed':
      task.status = 'failed';
      task.error_message = data.error_message ?? null;
      task.error_details = data.error_details ?? null;
      break;
    case 'task:log':
      task.logs.push({ level: data.level ?? 'info', message: String(data.message ?? '') });
      if (task.logs.length > MAX_TASK_LOGS) {
        task.logs.splice(0, task.logs.length - MAX_TASK_LOGS);
      }
      break;
    default:
      return null;
  }
  return task;
}

/** Running tasks first, then the most recently updated. */
export function tasksForDisplay(store) {
  const done = (t) => t.status === 'completed' || t.status === 'failed';
  return [...store.tasks.values()].sort((a, b) => Number(done(a)) - Number(done(b)) || b.order - a.order);
}

// -------------------------------------------------------------------------------------------------------- devices

const ACTIVE_UPLOADS = new Set(['requested', 'started', 'in_progress']);

/** Registered devices by id, each with its uploads (device-bridge registry API and `device:upload` frames). */
export function createDeviceStore() {
  return { devices: new Map() };
}

function deviceOf(store, id) {
  let device = store.devices.get(id);
  if (!device) {
    device = { device_id: id, name: null, enabled: true, last_seen_at: null, uploads: new Map(), seen: {} };
    store.devices.set(id, device);
  }
  return device;
}

/** The registry's view of a device (`GET /api/v1/devices`), its `current_upload` included. */
export function mergeDevice(store, view) {
  const device = deviceOf(store, String(view.device_id));
  device.name = view.name ?? null;
  device.enabled = view.enabled !== false;
  device.owner_id = view.owner_id ?? null;
  if (toMillis(view.last_seen_at) !== null && (toMillis(view.last_seen_at) ?? 0) > (toMillis(device.last_seen_at) ?? 0)) {
    device.last_seen_at = view.last_seen_at;
  }
  if (view.current_upload) {
    mergeUpload(device, view.current_upload);
  }
  return device;
}

/** An upload row of the registry API (`GET /api/v1/devices/{id}/uploads`). */
export function mergeUpload(device, row) {
  const id = String(row.request_id ?? row.cloud_file_path);
  const upload = uploadOf(device, id);
  Object.assign(upload, {
    request_id: row.request_id ?? upload.request_id,
    cloud_file_path: row.cloud_file_path ?? upload.cloud_file_path,
    file_name: row.file_name ?? upload.file_name,
    status: row.status ?? upload.status,
    progress: row.status === 'completed' ? 100 : Number(row.progress_percentage ?? upload.progress) || 0,
    bytes_uploaded: row.bytes_uploaded ?? upload.bytes_uploaded,
    total_bytes: row.file_size ?? upload.total_bytes,
    upload_speed_kbps: row.upload_speed_kbps ?? upload.upload_speed_kbps,
    estimated_time_remaining_sec: row.estimated_time_remaining_sec ?? upload.estimated_time_remaining_sec,
    upload_duration_sec: row.upload_duration_sec ?? upload.upload_duration_sec,
    error_code: row.error_code ?? upload.error_code,
    error_message: row.error_message ?? upload.error_message,
    finished_at: row.finished_at ?? upload.finished_at,
    updated_at: row.updated_at ?? row.requested_at ?? upload.updated_at,
  });
  return upload;
}

function uploadOf(device, id) {
  let upload = device.uploads.get(id);
  if (!upload) {
    upload = {
      id,
      request_id: null,
      cloud_file_path: null,
      file_name: null,
      file_path: null,
      status: 'requested',
      progress: 0,
      bytes_uploaded: null,
      total_bytes: null,
      upload_speed_kbps: null,
      estimated_time_remaining_sec: null,
      upload_duration_sec: null,
      average_speed_kbps: null,
      error_code: null,
      error_message: null,
      finished_at: null,
      updated_at: null,
    };
    device.uploads.set(id, upload);
  }
  return upload;
}

/** The upload's file name for people: the name it was asked for, else the last segment of its key or local path. */
export function uploadName(upload) {
  const from = upload.file_name ?? upload.cloud_file_path ?? upload.file_path ?? upload.id;
  return String(from).split('/').pop();
}

/**
 * Applies a `device:upload` frame (`type` device.upload_requested / _started / _progress / _completed / _failed,
 * `data` with source 001's fields plus `device_id`, `request_id`, `cloud_file_path`). Returns the device, or null.
 */
export function applyDeviceFrame(store, frame, now) {
  const data = frame.data ?? {};
  if (frame.event !== 'device:upload' || data.device_id === undefined) {
    return null;
  }
  const device = deviceOf(store, String(data.device_id));
  if (isStale(device, frame)) {
    return null;
  }
  markSeen(device, frame);
  device.last_seen_at = new Date(now).toISOString();
  const id = data.request_id ?? data.cloud_file_path ?? data.cloud_path ?? data.file_path;
  if (id === undefined) {
    return device;
  }
  const upload = uploadOf(device, String(id));
  upload.request_id = data.request_id ?? upload.request_id;
  upload.cloud_file_path = data.cloud_file_path ?? data.cloud_path ?? upload.cloud_file_path;
  upload.file_name = data.filename ?? data.file_name ?? upload.file_name;
  upload.file_path = data.file_path ?? upload.file_path;
  upload.updated_at = new Date(now).toISOString();
  switch (frame.type) {
    case 'device.upload_requested':
      upload.status = 'requested';
      upload.total_bytes = data.file_size ?? upload.total_bytes;
      break;
    case 'device.upload_started':
      upload.status = 'started';
      upload.total_bytes = data.file_size ?? upload.total_bytes;
      break;
    case 'device.upload_progress':
      upload.status = 'in_progress';
      upload.progress = Number(data.progress_percentage ?? upload.progress) || 0;
      upload.bytes_uploaded = data.bytes_uploaded ?? upload.bytes_uploaded;
      upload.total_bytes = data.total_bytes ?? upload.total_bytes;
      upload.upload_speed_kbps = data.upload_speed_kbps ?? upload.upload_speed_kbps;
      upload.estimated_time_remaining_sec = data.estimated_time_remaining_sec ?? null;
      break;
    case 'device.upload_completed':
      upload.status = 'completed';
      upload.progress = 100;
      upload.upload_duration_sec = data.upload_duration_sec ?? upload.upload_duration_sec;
      upload.average_speed_kbps = data.average_speed_kbps ?? upload.average_speed_kbps;
      upload.finished_at = upload.updated_at;
      break;
    case 'device.upload_failed':
      upload.status = 'failed';
      upload.error_code = data.error_code ?? null;
      upload.error_message = data.error_message ?? null;
      upload.finished_at = upload.updated_at;
      break;
    default:
      break;
  }
  return device;
}

/** Uploads still under way, the most recently reported first. */
export function activeUploads(device) {
  return [...device.uploads.values()]
    .filter((u) => ACTIVE_UPLOADS.has(u.status))
    .sort((a, b) => (toMillis(b.updated_at) ?? 0) - (toMillis(a.updated_at) ?? 0));
}

/** Completed and failed uploads, newest first, at most a handful. */
export function finishedUploads(device) {
  return [...device.uploads.values()]
    .filter((u) => !ACTIVE_UPLOADS.has(u.status))
    .sort((a, b) => (toMillis(b.finished_at ?? b.updated_at) ?? 0) - (toMillis(a.finished_at ?? a.updated_at) ?? 0))
    .slice(0, MAX_FINISHED_UPLOADS);
}

// ---------------------------------------------------------------------------------------------------------- files

/** Files by object key: uploads from this page and `file:uploaded` / `file:deleted` frames. */
export function createFileStore() {
  return { files: new Map() };
}

export function mergeFile(store, file) {
  if (!file?.object_key) {
    return null;
  }
  const key = String(file.object_key);
  const existing = store.files.get(key) ?? {};
  const merged = {
    ...existing,
    object_key: key,
    filename: file.filename ?? existing.filename ?? key.split('/').pop(),
    task_id: file.task_id ?? existing.task_id ?? null,
    size: file.size ?? existing.size ?? null,
    content_type: file.content_type ?? existing.content_type ?? null,
    uploaded_at: file.uploaded_at ?? existing.uploaded_at ?? null,
  };
  store.files.set(key, merged);
  return merged;
}

export function applyFileFrame(store, frame) {
  const data = frame.data ?? {};
  if (frame.event === 'file:uploaded') {
    return mergeFile(store, data);
  }
  if (frame.event === 'file:deleted' && data.object_key) {
    store.files.delete(String(data.object_key));
    return { object_key: String(data.object_key), deleted: true };
  }
  return null;
}

export function filesNewestFirst(store) {
  return [...store.files.values()].sort((a, b) => (toMillis(b.uploaded_at) ?? 0) - (toMillis(a.uploaded_at) ?? 0));
}

// ------------------------------------------------------------------------------------------------------- webhooks

const OUTCOMES = { 'webhook.delivered': 'delivered', 'webhook.failed': 'failed', 'webhook.dead_lettered': 'dead_lettered' };

/** Delivery outcomes, newest first, from push-service's log API and live `webhook:*` frames. */
export function createActivityStore() {
  return { entries: new Map() };
}

function activityKey(entry) {
  return [entry.task_id, entry.webhook_id, entry.retry_count ?? 0, entry.outcome].join('|');
}

function addActivity(store, entry) {
  const key = activityKey(entry);
  const existing = store.entries.get(key);
  // the log row and the live event describe the same attempt: keep the fuller one's fields
  store.entries.set(key, { ...entry, ...existing, at: existing?.at ?? entry.at, key });
  if (store.entries.size > MAX_ACTIVITY) {
    const oldest = [...store.entries.values()].sort((a, b) => a.at - b.at)[0];
    store.entries.delete(oldest.key);
  }
  return store.entries.get(key);
}

/** `webhook:delivered` (`task_id, webhook_id, http_status, duration_ms, retry_count`), `webhook:failed`, `webhook:dead_lettered`. */
export function applyWebhookFrame(store, frame, now) {
  const outcome = OUTCOMES[frame.type];
  const data = frame.data ?? {};
  if (!outcome) {
    return null;
  }
  return addActivity(store, {
    outcome,
    task_id: data.task_id === undefined ? null : String(data.task_id),
    webhook_id: data.webhook_id ?? null,
    http_status: data.http_status ?? null,
    duration_ms: data.duration_ms ?? null,
    retry_count: data.retry_count ?? 0,
    error: data.error_message ?? data.failure_reason ?? null,
    at: now,
  });
}

/** A row of `GET /api/v1/push/logs`. */
export function addPushLog(store, log) {
  return addActivity(store, {
    outcome: log.success ? 'delivered' : 'failed',
    task_id: log.task_id === undefined || log.task_id === null ? null : String(log.task_id),
    webhook_id: log.webhook_id ?? null,
    http_status: log.http_status ?? null,
    duration_ms: log.duration_ms ?? null,
    retry_count: log.retry_count ?? 0,
    error: log.error_message ?? null,
    at: toMillis(log.created_at) ?? 0,
  });
}

export function activityNewestFirst(store) {
  return [...store.entries.values()].sort((a, b) => b.at - a.at);
}

// ------------------------------------------------------------------------------------------------------ elsewhere

/** A link target a notification may carry: http(s) or a path on this site; anything else (javascript:…) is dropped. */
export function safeUrl(url, base) {
  if (typeof url !== 'string' || url.trim() === '') {
    return null;
  }
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
