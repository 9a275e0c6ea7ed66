import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampPercent,
  etaSeconds,
  formatAgo,
  formatBytes,
  formatClock,
  formatDuration,
  formatEta,
  formatPercent,
  formatRate,
  formatSpeedKbps,
  toMillis,
} from '../../main/resources/static/project-dashboard/assets/format.js';

test('durations read as seconds, minutes or hours, fractions kept where they matter', () => {
  assert.equal(formatDuration(0.4), '0.4 s');
  assert.equal(formatDuration(2), '2 s');
  assert.equal(formatDuration(2.25), '2.3 s');
  assert.equal(formatDuration(12.5), '12.5 s');
  assert.equal(formatDuration(45), '45 s');
  assert.equal(formatDuration(59.97), '1m 00s');
  assert.equal(formatDuration(125), '2m 05s');
  assert.equal(formatDuration(3725), '1h 02m');
  for (const unknown of [null, undefined, -1, Number.NaN, 'soon']) {
    assert.equal(formatDuration(unknown), '—');
  }
});

test('sizes in binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(15728640), '15 MB');
  assert.equal(formatBytes(7077888), '6.8 MB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3 GB');
  assert.equal(formatBytes(null), '—');
});

test("source 001's kbps are kilobytes per second", () => {
  assert.equal(formatSpeedKbps(512), '512 KB/s');
  assert.equal(formatSpeedKbps(1250), '1.3 MB/s');
  assert.equal(formatSpeedKbps(25000), '25 MB/s');
  assert.equal(formatSpeedKbps(undefined), '—');
});

test("the ETA is the camera's own estimate, else the bytes left at the last speed", () => {
  assert.equal(etaSeconds({ estimated_time_remaining_sec: 18, bytes_uploaded: 0, total_bytes: 10, upload_speed_kbps: 1 }), 18);
  // source 001's example: 15,728,640 − 7,108,608 bytes left at 512 KB/s
  assert.equal(etaSeconds({ bytes_uploaded: 7108608, total_bytes: 15728640, upload_speed_kbps: 512 }), 17);
  assert.equal(etaSeconds({ bytes_uploaded: 5, total_bytes: 10, upload_speed_kbps: 0 }), null);
  assert.equal(etaSeconds({}), null);
  assert.equal(formatEta(18), 'ETA 18 s');
  assert.equal(formatEta(0), 'finishing');
  assert.equal(formatEta(null), '');
});

test('percentages are clamped for progress bars', () => {
  assert.equal(clampPercent(45.2), 45.2);
  assert.equal(clampPercent(140), 100);
  assert.equal(clampPercent(-3), 0);
  assert.equal(clampPercent('x'), 0);
  assert.equal(formatPercent(45.2), '45.2 %');
  assert.equal(formatPercent(62), '62 %');
  assert.equal(formatRate(0.9166), '92 %');
  assert.equal(formatRate(null), '—');
});

test('times: ISO strings and epoch seconds as cameras send them', () => {
  assert.equal(toMillis('2024-01-01T12:00:00.000Z'), Date.UTC(2024, 0, 1, 12));
  assert.equal(toMillis(1691234567), 1691234567000);
  assert.equal(toMillis(1691234567000), 1691234567000);
  assert.equal(toMillis('not a time'), null);
  assert.equal(toMillis(null), null);
  assert.equal(formatClock('2024-01-01T12:00:13.000Z'), '12:00:13');
});

test('ago', () => {
  const now = Date.UTC(2024, 0, 1, 12);
  assert.equal(formatAgo(now - 2000, now), 'just now');
  assert.equal(formatAgo(now + 5000, now), 'just now');
  assert.equal(formatAgo(now - 42000, now), '42 s ago');
  assert.equal(formatAgo(now - 5 * 60000, now), '5 min ago');
  assert.equal(formatAgo(now - 3 * 3600000, now), '3 h ago');
  assert.equal(formatAgo(now - 2 * 86400000, now), '2 d ago');
  assert.equal(formatAgo(null, now), 'never');
});
