import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { durationChart, niceCeiling } from '../../main/resources/static/project-dashboard/assets/chart.js';
import { accessOf, decodeClaims, isExpired, takeTokenFromUrl } from '../../main/resources/static/project-dashboard/assets/session.js';
import { buildUrl, encodePath, problemMessage } from '../../main/resources/static/project-dashboard/assets/api.js';

describe('duration chart', () => {
  test('the scale ends at a round number above the longest duration and the p95 mark', () => {
    assert.deepEqual([0.4, 1, 3, 43.7, 45, 51, 120, 0, -1].map(niceCeiling), [0.5, 1, 5, 50, 50, 100, 200, 1, 1]);
    assert.equal(durationChart([{ id: '#1', duration: 20, status: 'success' }], { marks: [{ name: 'p95', value: 70 }] }).max, 100);
  });

  test('bars grow with the duration, newest on the right, running ones as stubs', () => {
    const chart = durationChart(
      [
        { id: '#1', duration: 25, status: 'success' },
        { id: '#2', duration: 50, status: 'failed' },
        { id: '#3', duration: null, status: 'running' },
      ],
      { width: 100, height: 50, gap: 0, slots: 4 },
    );
    assert.equal(chart.max, 50);
    assert.deepEqual(
      chart.bars.map((b) => [b.x, b.width, b.height, b.y, b.status]),
      [
        [25, 25, 25, 25, 'success'],
        [50, 25, 50, 0, 'failed'],
        [75, 25, 2, 48, 'running'],
      ],
    );
    assert.equal(chart.bars[0].label, '#1: 25 s (success)');
    assert.equal(chart.bars[2].label, '#3: running (running)');
  });

  test('p50 and p95 are lines on the same scale; unknown ones are left out', () => {
    const chart = durationChart([{ id: '#1', duration: 100, status: 'success' }], {
      height: 50,
      marks: [
        { name: 'p50', value: 50 },
        { name: 'p95', value: null },
      ],
    });
    assert.deepEqual(chart.lines, [{ name: 'p50', y: 25, label: 'p50 50 s' }]);
  });
});

describe('session', () => {
  const encode = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const jwt = (claims) => `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;

  test('claims of a JWT as ./dashboard token writes them (base64url, UTF-8)', () => {
    const claims = decodeClaims(jwt({ sub: 'dev', exp: 2000000000, roles: ['user', 'admin'], projects: ['*'], devices: ['*'], name: 'Zoë 测试' }));
    assert.equal(claims.sub, 'dev');
    assert.equal(claims.name, 'Zoë 测试');
    const access = accessOf(claims);
    assert.deepEqual(
      [access.user, access.admin, access.allProjects, access.allDevices, access.expiresAt],
      ['dev', true, true, true, 2000000000000],
    );
  });

  test('a user sees the projects and devices the claims list', () => {
    const access = accessOf(decodeClaims(jwt({ sub: 'alice', roles: ['user'], projects: ['demo', 'shop'], devices: 'CAM_1' })));
    assert.deepEqual(
      [access.admin, access.allProjects, access.projects, access.allDevices, access.devices],
      [false, false, ['demo', 'shop'], false, ['CAM_1']],
    );
  });

  test('anything that is not a JWT has no claims', () => {
    for (const text of ['', 'abc', 'a.b', 'a..c', `a.${Buffer.from('[1]').toString('base64url')}.c`, 'a.!!!.c', null]) {
      assert.equal(decodeClaims(text), null, String(text));
    }
  });

  test('expiry', () => {
    const access = accessOf({ sub: 'a', exp: 1000 });
    assert.equal(isExpired(access, 999000), false);
    assert.equal(isExpired(access, 1000000), true);
    assert.equal(isExpired(access, 990000, 15000), true);
    assert.equal(isExpired(accessOf({ sub: 'a' }), Date.now()), false);
  });

  test('the token leaves the address bar; other parameters and the fragment stay', () => {
    const calls = [];
    const history = { state: null, replaceState: (...args) => calls.push(args) };
    const token = takeTokenFromUrl({ href: 'http://localhost:8080/project-dashboard/?token=eyJ.x.y&view=deployments#devices' }, history);
    assert.equal(token, 'eyJ.x.y');
    assert.deepEqual(calls, [[null, '', '/project-dashboard/?view=deployments#devices']]);
    assert.equal(takeTokenFromUrl({ href: 'http://localhost:8080/project-dashboard/' }, history), null);
    assert.equal(calls.length, 1, 'nothing to replace without a token');
  });
});

describe('api', () => {
  test('problem JSON becomes one sentence naming the fields', () => {
    assert.equal(
      problemMessage(400, { title: 'Bad Request', detail: 'The request is invalid.', errors: [{ field: 'task_id', message: 'must match' }] }),
      'The request is invalid. (task_id: must match)',
    );
    assert.equal(problemMessage(404, { title: 'Not Found' }), 'Not Found');
    assert.equal(problemMessage(502, null), 'HTTP 502');
    assert.equal(problemMessage(0, null), 'The server could not be reached');
  });

  test('URLs under the page base, empty parameters left out, object keys keep their slashes', () => {
    assert.equal(
      buildUrl('/project-dashboard/', 'api/v1/deployments', { project: 'axi star', limit: 20, before: null, status: '' }),
      '/project-dashboard/api/v1/deployments?project=axi+star&limit=20',
    );
    assert.equal(encodePath('scenes/20240101/T 1/a#b.ma'), 'scenes/20240101/T%201/a%23b.ma');
    assert.equal(encodePath('project:demo'), 'project%3Ademo');
  });
});
