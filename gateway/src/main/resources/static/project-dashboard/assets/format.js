// Formatting of durations, sizes, speeds and times for the dashboard. Pure functions: no DOM, no clock of their own.

const DASH = '—';

/** Seconds (whole or fractional, as deploy-notifier sends them) as "0.4 s", "12.5 s", "2m 05s", "1h 02m". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(Number(seconds)) || Number(seconds) < 0) {
    return DASH;
  }
  const s = Number(seconds);
  if (s < 59.95) {
    return `${trimZeros(s.toFixed(1))} s`;
  }
  const total = Math.round(s);
  if (total < 3600) {
    return `${Math.floor(total / 60)}m ${pad2(total % 60)}s`;
  }
  const hours = Math.floor(total / 3600);
  return `${hours}h ${pad2(Math.floor((total % 3600) / 60))}m`;
}

/** Bytes as "512 B", "1.5 KB", "15 MB", "2.1 GB" (1 KB = 1024 B). */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(Number(bytes)) || Number(bytes) < 0) {
    return DASH;
  }
  let value = Number(bytes);
  if (value < 1024) {
    return `${Math.round(value)} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let unit = -1;
  do {
    value /= 1024;
    unit += 1;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value < 10 ? trimZeros(value.toFixed(1)) : Math.round(value)} ${units[unit]}`;
}

/**
 * Source 001's `upload_speed_kbps` / `average_speed_kbps`: kilobytes per second (its example uploads 15,728,640 bytes
 * in 32 s at an average of 491), shown as "512 KB/s" or "1.2 MB/s".
 */
export function formatSpeedKbps(kbps) {
  if (kbps === null || kbps === undefined || !Number.isFinite(Number(kbps)) || Number(kbps) < 0) {
    return DASH;
  }
  const k = Number(kbps);
  if (k >= 1000) {
    const mb = k / 1000;
    return `${mb < 10 ? trimZeros(mb.toFixed(1)) : Math.round(mb)} MB/s`;
  }
  return `${Math.round(k)} KB/s`;
}

/**
 * Time left of an upload: the device's own estimate when it sent one, else the bytes left at the last speed.
 * Returns seconds, or null when neither is known.
 */
export function etaSeconds({ estimated_time_remaining_sec, bytes_uploaded, total_bytes, upload_speed_kbps } = {}) {
  if (Number.isFinite(estimated_time_remaining_sec) && estimated_time_remaining_sec >= 0) {
    return estimated_time_remaining_sec;
  }
  const left = Number(total_bytes) - Number(bytes_uploaded);
  const speed = Number(upload_speed_kbps) * 1000;
  if (Number.isFinite(left) && left >= 0 && Number.isFinite(speed) && speed > 0) {
    return Math.ceil(left / speed);
  }
  return null;
}

/** "ETA 18 s", "ETA 2m 05s" or "" when unknown. */
export function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(Number(seconds))) {
    return '';
  }
  return Number(seconds) === 0 ? 'finishing' : `ETA ${formatDuration(Number(seconds))}`;
}

/** A percentage 0–100 clamped and rounded for display ("45 %"); progress bars get the clamped number. */
export function clampPercent(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    return 0;
  }
  return Math.min(100, Math.max(0, n));
}

export function formatPercent(value) {
  return `${trimZeros(clampPercent(value).toFixed(clampPercent(value) % 1 === 0 ? 0 : 1))} %`;
}

/** A ratio 0–1 (deploy-notifier's `success_rate`) as "92 %", or "—" when nothing is decided yet. */
export function formatRate(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(Number(ratio))) {
    return DASH;
  }
  return `${Math.round(Number(ratio) * 100)} %`;
}

/**
 * A time (ISO-8601 string, or epoch seconds as cameras send them) as milliseconds since the epoch, or null.
 * Epoch values below 10^11 are taken as seconds.
 */
export function toMillis(time) {
  if (time === null || time === undefined || time === '') {
    return null;
  }
  if (typeof time === 'number') {
    return Number.isFinite(time) ? (time < 1e11 ? time * 1000 : time) : null;
  }
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? null : parsed;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; a time in the future counts as now. */
export function formatAgo(time, now) {
  const at = toMillis(time);
  if (at === null) {
    return 'never';
  }
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) {
    return 'just now';
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Clock time of an event for log lines: "12:00:13". */
export function formatClock(time) {
  const at = toMillis(time);
  if (at === null) {
    return '';
  }
  return new Date(at).toISOString().slice(11, 19);
}

function pad2(n) {
  return String(n).padStart(2, '0');
}

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
