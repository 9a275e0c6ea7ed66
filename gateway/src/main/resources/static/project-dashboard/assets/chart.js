// A small bar chart of recent deployment durations, drawn as inline SVG. The geometry is a pure function; `drawChart`
// turns it into elements (attributes and classes only: the page's CSP allows no inline styles).

import { formatDuration } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The smallest of 1, 2, 5 × 10^n at or above `value` (so the scale reads "up to 50 s", not "up to 43.7 s"). */
export function niceCeiling(value) {
  if (!Number.isFinite(value) || value <= 0) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) {
      return step * magnitude;
    }
  }
  return 10 * magnitude;
}

/**
 * Bars for `points` (oldest first: `{id, duration, status}`), left to right, in a `width` × `height` box. A point
 * without a duration (still running) gets a stub bar. `marks` are horizontal lines (p50, p95) on the same scale.
 */
export function durationChart(points, { width = 280, height = 64, gap = 3, slots = 20, marks = [] } = {}) {
  const durations = points.map((p) => p.duration).filter((d) => Number.isFinite(d));
  const markValues = marks.map((m) => m.value).filter((v) => Number.isFinite(v));
  const max = niceCeiling(Math.max(0, ...durations, ...markValues));
  const count = Math.max(slots, points.length);
  const barWidth = Math.max(1, (width - gap * (count - 1)) / count);
  const offset = count - points.length; // newest bar on the right edge
  const scale = (value) => (Math.max(0, value) / max) * height;
  const bars = points.map((p, i) => {
    const known = Number.isFinite(p.duration);
    const h = known ? Math.max(2, scale(p.duration)) : 2;
    return {
      x: round((offset + i) * (barWidth + gap)),
      y: round(height - h),
      width: round(barWidth),
      height: round(h),
      status: p.status ?? 'running',
      label: `${p.id}: ${known ? formatDuration(p.duration) : 'running'} (${p.status ?? 'running'})`,
    };
  });
  const lines = marks
    .filter((m) => Number.isFinite(m.value))
    .map((m) => ({ name: m.name, y: round(height - scale(m.value)), label: `${m.name} ${formatDuration(m.value)}` }));
  return { width, height, max, bars, lines };
}

/** An `<svg>` element for the chart; `summary` is what a screen reader hears. */
export function drawChart(doc, chart, summary) {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${chart.width} ${chart.height}`);
  svg.setAttribute('width', String(chart.width));
  svg.setAttribute('height', String(chart.height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', summary);
  svg.setAttribute('class', 'duration-chart');
  const base = doc.createElementNS(SVG, 'line');
  setAll(base, { x1: 0, x2: chart.width, y1: chart.height - 0.5, y2: chart.height - 0.5, class: 'chart-axis' });
  svg.append(base);
  for (const bar of chart.bars) {
    const rect = doc.createElementNS(SVG, 'rect');
    setAll(rect, { x: bar.x, y: bar.y, width: bar.width, height: bar.height, rx: 1.5, class: `chart-bar status-${bar.status}` });
    const title = doc.createElementNS(SVG, 'title');
    title.textContent = bar.label;
    rect.append(title);
    svg.append(rect);
  }
  for (const line of chart.lines) {
    const l = doc.createElementNS(SVG, 'line');
    setAll(l, { x1: 0, x2: chart.width, y1: line.y, y2: line.y, class: `chart-mark chart-mark-${line.name}` });
    const title = doc.createElementNS(SVG, 'title');
    title.textContent = line.label;
    l.append(title);
    svg.append(l);
  }
  return svg;
}

function setAll(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
}

function round(n) {
  return Math.round(n * 10) / 10;
}
