// Cameras: device-bridge's registry API (devices, their current and recent uploads, statistics) and the
// `device:upload` frames of each `device:{id}` channel (source 001's upload_started / _progress / _completed / _failed).

import { encodePath } from '../api.js';
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
import {
  etaSeconds,
  formatAgo,
  formatBytes,
  formatDuration,
  formatEta,
  formatPercent,
  formatSpeedKbps,
  toMillis,
} from '../format.js';
import {
  activeUploads,
  applyDeviceFrame,
  createDeviceStore,
  finishedUploads,
  mergeDevice,
  mergeUpload,
  uploadName,
} from '../model.js';

const REGISTRY_INTERVAL_MS = 15000;

export function createDevicesPanel(ctx) {
  const store = createDeviceStore();
  const body = document.getElementById('devices-body');
  const note = document.getElementById('devices-note');
  const statistics = new Map();
  let loaded = false;
  let problem = null;
  const render = renderScheduler(draw);

  async function loadRegistry() {
    try {
      const answer = await ctx.api.get('api/v1/devices', { limit: 100 });
      problem = null;
      const fresh = [];
      for (const view of answer?.devices ?? []) {
        const known = store.devices.has(String(view.device_id)) && store.devices.get(String(view.device_id)).name !== null;
        mergeDevice(store, view);
        if (!known) {
          fresh.push(String(view.device_id));
        }
      }
      for (const id of fresh) {
        ctx.client.watch(`device:${id}`);
        loadHistory(id);
      }
    } catch (error) {
      problem = error.status === 403 ? null : `Devices could not be listed: ${error.message}`;
    }
    loaded = true;
    render();
  }

  async function loadHistory(id) {
    const [uploads, stats] = await Promise.allSettled([
      ctx.api.get(`api/v1/devices/${encodePath(id)}/uploads`, { limit: 8 }),
      ctx.api.get(`api/v1/devices/${encodePath(id)}/statistics`),
    ]);
    const device = store.devices.get(id);
    if (uploads.status === 'fulfilled' && device) {
      for (const row of uploads.value?.uploads ?? []) {
        mergeUpload(device, row);
      }
    }
    if (stats.status === 'fulfilled') {
      statistics.set(id, stats.value);
    }
    render();
  }

  function onFrame(frame) {
    const device = applyDeviceFrame(store, frame, ctx.now());
    if (!device) {
      return;
    }
    if ((frame.type === 'device.upload_completed' || frame.type === 'device.upload_failed') && frame.replayed !== 'backfill') {
      const upload = device.uploads.get(String(frame.data.request_id ?? frame.data.cloud_file_path ?? ''));
      const name = upload ? uploadName(upload) : frame.data.filename ?? 'a file';
      const failed = frame.type === 'device.upload_failed';
      ctx.toast({
        title: `${device.name ?? device.device_id}: ${failed ? 'upload failed' : 'upload complete'}`,
        message: failed ? `${name}: ${frame.data.error_message ?? frame.data.error_code ?? 'failed'}` : name,
        type: failed ? 'error' : 'success',
      });
      loadHistory(device.device_id);
    }
    render();
  }

  function reload() {
    for (const id of store.devices.keys()) {
      loadHistory(id);
    }
    loadRegistry();
  }

  function draw() {
    const devices = [...store.devices.values()].sort((a, b) => a.device_id.localeCompare(b.device_id));
    const active = devices.reduce((n, d) => n + activeUploads(d).length, 0);
    setText(
      note,
      problem ??
        (devices.length
          ? `${devices.length} camera${devices.length === 1 ? '' : 's'} · ${active} active upload${active === 1 ? '' : 's'}`
          : ''),
    );
    if (!loaded && devices.length === 0) {
      return;
    }
    const list = listOrEmpty(
      body,
      devices.length > 0,
      () => h('ul', { class: 'device-list', attrs: { 'aria-label': 'Cameras' } }),
      () => emptyDevices(ctx),
    );
    if (list) {
      syncList(list, devices, (d) => d.device_id, createDevice, updateDevice);
    }
  }

  function createDevice(device) {
    return h(
      'li',
      { class: 'device', data: { deviceId: device.device_id } },
      h(
        'div',
        { class: 'device-head' },
        h('span', { class: 'device-name' }),
        h('code', { class: 'device-id', text: device.device_id }),
        badge('enabled'),
      ),
      h('p', { class: 'device-meta' }),
      h('ul', { class: 'upload-list', attrs: { 'aria-label': `Active uploads of ${device.device_id}` } }),
      h(
        'details',
        { class: 'finished', open: true },
        h('summary', { text: 'Recent uploads' }),
        h('ul', { class: 'finished-list' }),
      ),
    );
  }

  function updateDevice(element, device) {
    setText(element.querySelector('.device-name'), device.name ?? device.device_id);
    updateBadge(element.querySelector('.badge'), device.enabled ? 'enabled' : 'disabled');
    const stats = statistics.get(device.device_id);
    const parts = [`last seen ${formatAgo(device.last_seen_at, ctx.now())}`];
    if (stats) {
      parts.push(`${stats.successful_uploads ?? 0} uploaded`, `${stats.failed_uploads ?? 0} failed`);
    }
    setText(element.querySelector('.device-meta'), parts.join(' · '));

    syncList(element.querySelector('.upload-list'), activeUploads(device), (u) => u.id, createUpload, (item, u) =>
      updateUpload(item, u, ctx.now()),
    );

    const finished = finishedUploads(device);
    const details = element.querySelector('.finished');
    details.hidden = finished.length === 0;
    setText(details.querySelector('summary'), `Recent uploads · ${finished.length}`);
    syncList(
      details.querySelector('.finished-list'),
      finished,
      (u) => u.id,
      (u) =>
        h(
          'li',
          { class: 'finished-upload', data: { uploadId: u.id } },
          badge(u.status),
          h('span', { class: 'finished-name' }),
          h('span', { class: 'finished-detail muted' }),
        ),
      (item, u) => {
        setData(item, 'status', u.status);
        updateBadge(item.querySelector('.badge'), u.status);
        setText(item.querySelector('.finished-name'), uploadName(u));
        item.querySelector('.finished-name').title = u.cloud_file_path ?? '';
        setText(
          item.querySelector('.finished-detail'),
          u.status === 'failed'
            ? [u.error_code, u.error_message].filter(Boolean).join(': ')
            : [formatBytes(u.total_bytes), u.upload_duration_sec !== null ? formatDuration(u.upload_duration_sec) : null]
                .filter(Boolean)
                .join(' · '),
        );
      },
    );
  }

  return {
    start() {
      loadRegistry();
      setInterval(loadRegistry, REGISTRY_INTERVAL_MS);
    },
    onFrame,
    reload,
    tick: render,
  };
}

function createUpload(upload) {
  const id = `upload-${cssId(upload.id)}`;
  return h(
    'li',
    { class: 'upload', data: { uploadId: upload.id } },
    h(
      'div',
      { class: 'upload-head' },
      h('span', { class: 'upload-name', attrs: { id: `${id}-name` } }),
      h('span', { class: 'upload-percent' }),
    ),
    h('progress', { max: 100, value: 0, attrs: { 'aria-labelledby': `${id}-name` } }),
    h('p', { class: 'upload-detail muted' }),
  );
}

/** An upload without a report for this long is shown as stalled rather than with a stale ETA. */
const STALLED_AFTER_MS = 60000;

function updateUpload(element, upload, now) {
  setData(element, 'status', upload.status);
  const name = element.querySelector('.upload-name');
  setText(name, uploadName(upload));
  name.title = upload.cloud_file_path ?? '';
  setProgress(element.querySelector('progress'), upload.progress);
  const waiting = upload.status === 'requested' ? 'waiting for the camera' : upload.status === 'started' ? 'starting' : null;
  setText(element.querySelector('.upload-percent'), waiting ? '' : formatPercent(upload.progress));
  const bytes =
    upload.bytes_uploaded !== null && upload.total_bytes !== null
      ? `${formatBytes(upload.bytes_uploaded)} of ${formatBytes(upload.total_bytes)}`
      : upload.total_bytes !== null
        ? formatBytes(upload.total_bytes)
        : null;
  const speed = upload.upload_speed_kbps !== null ? formatSpeedKbps(upload.upload_speed_kbps) : null;
  const quiet = now - (toMillis(upload.updated_at) ?? now);
  const stalled = quiet > STALLED_AFTER_MS;
  setData(element, 'stalled', stalled);
  const eta = stalled ? `no report for ${formatAgo(upload.updated_at, now).replace(' ago', '')}` : formatEta(etaSeconds(upload));
  setText(element.querySelector('.upload-detail'), [waiting, bytes, stalled ? null : speed, eta].filter(Boolean).join(' · '));
}

function cssId(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}

function emptyDevices(ctx) {
  if (!ctx.access.allDevices && ctx.access.devices.length === 0 && !ctx.access.admin) {
    return emptyState(
      'No cameras here: you see the devices you own or your token’s devices claim lists. An admin registers a ' +
        'camera (README, "A camera needs a registered device id") and can give it to you as its owner.',
    );
  }
  const url = `${location.origin}${ctx.base}api/v1/devices`;
  return emptyState(
    'No cameras registered yet. Register one (admin token), then let it log in to the MQTT broker with the ' +
      'returned username and password (docs/device-bridge.md):',
    [
      `curl -s -X POST ${url} \\`,
      `  -H "Authorization: Bearer $(./dashboard token --admin)" -H 'Content-Type: application/json' \\`,
      `  -d '{"device_id": "ESP32P4_CAM_001", "name": "Front door"}'`,
    ].join('\n'),
  );
}
