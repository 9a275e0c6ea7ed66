import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeUploads,
  activityNewestFirst,
  addPushLog,
  applyDeploymentFrame,
  applyDeviceFrame,
  applyFileFrame,
  applyTaskFrame,
  applyWebhookFrame,
  createActivityStore,
  createDeploymentStore,
  createDeviceStore,
  createFileStore,
  createTaskStore,
  deploymentsNewestFirst,
  filesNewestFirst,
  finishedUploads,
  mergeDevice,
  mergeDeploymentSnapshot,
  mergeFile,
  safeUrl,
  tasksForDisplay,
  uploadName,
} from '../../main/resources/static/project-dashboard/assets/model.js';

const NOW = Date.UTC(2024, 0, 1, 12, 5);

// frames as realtime-service sends them (docs/realtime-service.md; data with the sources' field names)
function step(type, stepName, extra = {}, offset = 1) {
  return {
    event: 'deployment:step',
    channel: 'project:axi-star-cloud',
    offset,
    type,
    data: {
      project: 'axi-star-cloud',
      deployment_id: '123456789',
      step_name: stepName,
      timestamp: '2024-01-01T12:00:00.000Z',
      workflow_name: 'deploy-project',
      ...extra,
    },
  };
}

describe('deployments', () => {
  test('steps keep their order and status; a started step has no duration yet', () => {
    const store = createDeploymentStore();
    applyDeploymentFrame(store, step('deployment.step_started', '构建应用', { step_status: 'started', duration: 0 }, 1), NOW);
    applyDeploymentFrame(
      store,
      step('deployment.step_completed', '构建应用', { step_status: 'completed', duration: 12.5, timestamp: '2024-01-01T12:00:12.500Z' }, 2),
      NOW,
    );
    applyDeploymentFrame(store, step('deployment.step_started', '部署验证', { step_status: 'started', duration: 0 }, 3), NOW);
    const deployment = store.projects.get('axi-star-cloud').deployments.get('123456789');
    assert.deepEqual(
      deployment.steps.map((s) => [s.step_name, s.status, s.duration]),
      [
        ['构建应用', 'completed', 12.5],
        ['部署验证', 'started', null],
      ],
    );
    assert.equal(deployment.status, 'running');
    assert.equal(deployment.started_at, '2024-01-01T12:00:00.000Z');
    assert.equal(deployment.workflow_name, 'deploy-project');
  });

  test('a failed step keeps the status the event gave it', () => {
    const store = createDeploymentStore();
    const deployment = applyDeploymentFrame(
      store,
      step('deployment.step_failed', 'test', { step_status: 'failed', duration: 3 }),
      NOW,
    );
    assert.equal(deployment.steps[0].status, 'failed');
  });

  test('completion, log lines and metrics', () => {
    const store = createDeploymentStore();
    const base = { project: 'axi-star-cloud', deployment_id: '123456789' };
    applyDeploymentFrame(store, { event: 'deployment:log', channel: 'project:axi-star-cloud', offset: 1, type: 'deployment.log', data: { ...base, level: 'warn', message: '正在上传构建产物...', timestamp: '2024-01-01T12:00:30.000Z' } }, NOW);
    applyDeploymentFrame(store, { event: 'deployment:metrics', channel: 'project:axi-star-cloud', offset: 2, type: 'deployment.metrics', data: { ...base, metrics: { total_duration: 45, steps_count: 5 } } }, NOW);
    const deployment = applyDeploymentFrame(
      store,
      {
        event: 'deployment:completed',
        channel: 'project:axi-star-cloud',
        offset: 3,
        type: 'deployment.completed',
        data: { ...base, status: 'success', duration: 45, started_at: '2024-01-01T12:00:15.000Z', completed_at: '2024-01-01T12:01:00.000Z', logs: '部署成功，耗时 45 秒' },
      },
      NOW,
    );
    assert.equal(deployment.status, 'success');
    assert.equal(deployment.duration, 45);
    assert.equal(deployment.completed_at, '2024-01-01T12:01:00.000Z');
    assert.equal(deployment.logs_summary, '部署成功，耗时 45 秒');
    assert.deepEqual(deployment.logs.map((l) => [l.level, l.message]), [['warn', '正在上传构建产物...']]);
    assert.deepEqual(deployment.metrics, { total_duration: 45, steps_count: 5 });
  });

  test('a replayed frame older than what the deployment shows changes nothing', () => {
    const store = createDeploymentStore();
    applyDeploymentFrame(store, step('deployment.step_completed', 'build', { step_status: 'completed', duration: 9 }, 5), NOW);
    const stale = applyDeploymentFrame(store, step('deployment.step_started', 'build', { step_status: 'started' }, 4), NOW);
    assert.equal(stale, null);
    assert.equal(store.projects.get('axi-star-cloud').deployments.get('123456789').steps[0].status, 'completed');
  });

  test('frames that are not about a deployment are ignored', () => {
    const store = createDeploymentStore();
    assert.equal(applyDeploymentFrame(store, { event: 'task:progress', data: { project: 'p', deployment_id: '1' } }, NOW), null);
    assert.equal(applyDeploymentFrame(store, { event: 'deployment:log', data: { message: 'no ids' } }, NOW), null);
    assert.equal(store.projects.size, 0);
  });

  test("deploy-notifier's snapshot fills in steps, but does not reopen a completion the page already saw", () => {
    const store = createDeploymentStore();
    applyDeploymentFrame(store, { event: 'deployment:completed', channel: 'project:p', offset: 9, type: 'deployment.completed', data: { project: 'p', deployment_id: '7', status: 'failed', duration: 12, completed_at: '2024-01-01T12:00:12Z' } }, NOW);
    const deployment = mergeDeploymentSnapshot(store, {
      project: 'p',
      deployment_id: '7',
      status: 'running',
      started_at: '2024-01-01T12:00:00Z',
      completed_at: null,
      duration: null,
      steps: [{ step_name: 'build', status: 'completed', started_at: '2024-01-01T12:00:00Z', completed_at: '2024-01-01T12:00:05Z', duration: 5, logs: 'ok' }],
    });
    assert.equal(deployment.status, 'failed');
    assert.equal(deployment.duration, 12);
    assert.equal(deployment.started_at, '2024-01-01T12:00:00Z');
    assert.deepEqual(deployment.steps.map((s) => [s.step_name, s.status, s.duration]), [['build', 'completed', 5]]);
  });

  test('newest first by start; a deployment not yet started counts as newest', () => {
    const store = createDeploymentStore();
    for (const [id, started] of [['1', '2024-01-01T10:00:00Z'], ['3', '2024-01-01T11:00:00Z'], ['2', '2024-01-01T09:00:00Z']]) {
      mergeDeploymentSnapshot(store, { project: 'p', deployment_id: id, started_at: started });
    }
    applyDeploymentFrame(store, { event: 'deployment:log', channel: 'project:p', offset: 1, data: { project: 'p', deployment_id: '4', message: 'queued' } }, NOW);
    assert.deepEqual(deploymentsNewestFirst(store.projects.get('p')).map((d) => d.deployment_id), ['4', '3', '1', '2']);
  });
});

describe('tasks', () => {
  const frame = (event, data, offset, extra = {}) => ({
    event,
    channel: 'user:alice',
    offset,
    type: event.replace(':', '.'),
    data: { task_id: 'T1', user_id: 'alice', ...data },
    ...extra,
  });

  test("source 000's events move a task from progress to completion", () => {
    const store = createTaskStore();
    applyTaskFrame(store, frame('task:progress', { progress: 50, current_frame: 10, total_frames: 20, message: 'rendering' }, 1), NOW);
    let task = store.tasks.get('T1');
    assert.deepEqual([task.status, task.progress, task.current_frame, task.total_frames], ['running', 50, 10, 20]);
    applyTaskFrame(store, frame('task:status', { status: 'uploading', message: 'saving frames' }, 2), NOW);
    applyTaskFrame(store, frame('task:progress', { progress: 90 }, 3), NOW);
    task = store.tasks.get('T1');
    assert.equal(task.status, 'uploading', 'progress does not overwrite a status the producer set');
    applyTaskFrame(store, frame('task:log', { level: 'info', message: 'frame 20 done' }, 4), NOW);
    applyTaskFrame(store, frame('task:completed', { result_files: ['frame_001.png'], render_time: 120.5, cost: 0.35 }, 5), NOW);
    task = store.tasks.get('T1');
    assert.deepEqual(
      [task.status, task.progress, task.result_files, task.render_time, task.cost, task.logs.at(-1).message],
      ['completed', 100, ['frame_001.png'], 120.5, 0.35, 'frame 20 done'],
    );
  });

  test('a failure keeps its message and details', () => {
    const store = createTaskStore();
    const task = applyTaskFrame(store, frame('task:failed', { error_message: 'Out of memory', error_details: 'frame 8' }, 1), NOW);
    assert.deepEqual([task.status, task.error_message, task.error_details], ['failed', 'Out of memory', 'frame 8']);
  });

  test('the same event seen on task: and user: channels (one frame, also) is applied once; a replay never moves a bar back', () => {
    const store = createTaskStore();
    applyTaskFrame(store, frame('task:progress', { progress: 60 }, 7, { also: [{ channel: 'task:T1', offset: 3 }] }), NOW);
    const replayed = applyTaskFrame(store, { ...frame('task:progress', { progress: 30 }, 2), channel: 'task:T1' }, NOW);
    assert.equal(replayed, null);
    assert.equal(store.tasks.get('T1').progress, 60);
  });

  test('a backfilled frame is shown without pretending to know when it happened', () => {
    const store = createTaskStore();
    const task = applyTaskFrame(store, frame('task:progress', { progress: 10 }, 1, { replayed: 'backfill' }), NOW);
    assert.equal(task.updatedAt, null);
    applyTaskFrame(store, frame('task:progress', { progress: 20 }, 2), NOW);
    assert.equal(task.updatedAt, NOW);
  });

  test('running tasks first, then the most recent', () => {
    const store = createTaskStore();
    const at = (id, event, data, offset) => applyTaskFrame(store, { ...frame(event, data, offset), data: { task_id: id, user_id: 'alice', ...data } }, NOW);
    at('done', 'task:completed', {}, 1);
    at('old', 'task:progress', { progress: 1 }, 2);
    at('new', 'task:progress', { progress: 1 }, 3);
    assert.deepEqual(tasksForDisplay(store).map((t) => t.task_id), ['new', 'old', 'done']);
  });
});

describe('devices', () => {
  const report = (type, data, offset) => ({
    event: 'device:upload',
    channel: 'device:ESP32P4_CAM_001',
    offset,
    type,
    data: {
      device_id: 'ESP32P4_CAM_001',
      request_id: 'upload_1a2b3c4d',
      cloud_file_path: 'ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts',
      ...data,
    },
  });

  test("an upload follows source 001's reports from request to completion", () => {
    const store = createDeviceStore();
    mergeDevice(store, { device_id: 'ESP32P4_CAM_001', name: 'Front door', enabled: true, last_seen_at: null });
    applyDeviceFrame(store, report('device.upload_requested', { file_name: 'motion_video.ts', file_size: 15728640 }, 1), NOW);
    applyDeviceFrame(store, report('device.upload_started', { file_path: '/sdcard/recordings/motion.ts', filename: 'motion.ts', file_size: 15728640 }, 2), NOW);
    applyDeviceFrame(
      store,
      report('device.upload_progress', { progress_percentage: 45.2, bytes_uploaded: 7108608, total_bytes: 15728640, upload_speed_kbps: 512, estimated_time_remaining_sec: 18 }, 3),
      NOW,
    );
    const device = store.devices.get('ESP32P4_CAM_001');
    const [upload] = activeUploads(device);
    assert.deepEqual(
      [upload.id, upload.status, upload.progress, upload.bytes_uploaded, upload.upload_speed_kbps, upload.estimated_time_remaining_sec],
      ['upload_1a2b3c4d', 'in_progress', 45.2, 7108608, 512, 18],
    );
    assert.equal(uploadName(upload), 'motion.ts');
    assert.equal(device.last_seen_at, new Date(NOW).toISOString());
    applyDeviceFrame(store, report('device.upload_completed', { upload_duration_sec: 32, average_speed_kbps: 491 }, 4), NOW);
    assert.deepEqual(activeUploads(device), []);
    const [done] = finishedUploads(device);
    assert.deepEqual([done.status, done.progress, done.upload_duration_sec], ['completed', 100, 32]);
  });

  test('a failed upload keeps its error code', () => {
    const store = createDeviceStore();
    const device = applyDeviceFrame(store, report('device.upload_failed', { error_code: 'NETWORK_ERROR', error_message: 'reset', retry_count: 3 }, 1), NOW);
    const [failed] = finishedUploads(device);
    assert.deepEqual([failed.status, failed.error_code], ['failed', 'NETWORK_ERROR']);
  });

  test('active uploads: the most recently reported first', () => {
    const store = createDeviceStore();
    const progress = (request, offset, at) =>
      applyDeviceFrame(store, { ...report('device.upload_progress', { request_id: request, progress_percentage: 10 }, offset) }, at);
    progress('older', 1, NOW);
    progress('newer', 2, NOW + 1000);
    progress('older', 3, NOW + 2000);
    progress('newer', 4, NOW + 3000);
    assert.deepEqual(activeUploads(store.devices.get('ESP32P4_CAM_001')).map((u) => u.id), ['newer', 'older']);
  });

  test("the registry's current upload shows as active until reports finish it", () => {
    const store = createDeviceStore();
    const device = mergeDevice(store, {
      device_id: 'CAM',
      name: 'Cam',
      current_upload: { request_id: 'r1', cloud_file_path: 'CAM/2025/01/01/000000_a.ts', status: 'in_progress', progress_percentage: 45.0, file_size: 100 },
    });
    assert.deepEqual(activeUploads(device).map((u) => [u.id, u.progress, u.total_bytes]), [['r1', 45, 100]]);
  });
});

describe('files', () => {
  test('uploads and file events list files newest first; a deletion removes one', () => {
    const store = createFileStore();
    mergeFile(store, { object_key: 'scenes/20240101/T1/a.ma', filename: 'a.ma', task_id: 'T1', size: 10, uploaded_at: '2024-01-01T10:00:00Z' });
    applyFileFrame(store, { event: 'file:uploaded', data: { object_key: 'scenes/20240101/T1/b.ma', filename: 'b.ma', task_id: 'T1', size: 3, uploaded_at: '2024-01-01T11:00:00Z' } });
    assert.deepEqual(filesNewestFirst(store).map((f) => f.filename), ['b.ma', 'a.ma']);
    applyFileFrame(store, { event: 'file:deleted', data: { object_key: 'scenes/20240101/T1/b.ma' } });
    assert.deepEqual(filesNewestFirst(store).map((f) => f.filename), ['a.ma']);
  });
});

describe('webhook activity', () => {
  test('a live outcome and the push log row of the same attempt are one entry', () => {
    const store = createActivityStore();
    applyWebhookFrame(store, { event: 'webhook:delivered', type: 'webhook.delivered', data: { task_id: 'T1', webhook_id: 'w1', http_status: 200, duration_ms: 7, retry_count: 0 } }, NOW);
    addPushLog(store, { task_id: 'T1', webhook_id: 'w1', success: true, http_status: 200, duration_ms: 7, retry_count: 0, created_at: '2024-01-01T12:04:00Z' });
    applyWebhookFrame(store, { event: 'webhook:failed', type: 'webhook.failed', data: { task_id: 'T2', webhook_id: 'w2', http_status: 400, error_message: 'HTTP 400', retry_count: 0 } }, NOW + 1);
    applyWebhookFrame(store, { event: 'webhook:dead_lettered', type: 'webhook.dead_lettered', data: { task_id: 'T2', webhook_id: 'w2', failure_reason: 'HTTP 400', retry_count: 0 } }, NOW + 2);
    assert.deepEqual(
      activityNewestFirst(store).map((e) => [e.task_id, e.outcome]),
      [
        ['T2', 'dead_lettered'],
        ['T2', 'failed'],
        ['T1', 'delivered'],
      ],
    );
    assert.equal(applyWebhookFrame(store, { event: 'task:progress', type: 'task.progress', data: {} }, NOW), null);
  });
});

test('notification links: http(s) and site paths only', () => {
  assert.equal(safeUrl('/status', 'https://dash.example/project-dashboard/'), 'https://dash.example/status');
  assert.equal(safeUrl('https://example.com/a', 'https://dash.example/'), 'https://example.com/a');
  assert.equal(safeUrl('javascript:alert(1)', 'https://dash.example/'), null);
  assert.equal(safeUrl('data:text/html,x', 'https://dash.example/'), null);
  assert.equal(safeUrl('', 'https://dash.example/'), null);
  assert.equal(safeUrl(undefined, 'https://dash.example/'), null);
});
