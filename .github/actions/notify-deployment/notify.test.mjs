// Runs notify.mjs as the runner would (a child process with NOTIFY_* variables) against a local HTTP server.
// Run: node --test .github/actions/notify-deployment/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'notify.mjs');
const SECRET = 'whsec-test-7Qp2xZ';
const TOKEN = 'bearer-test-K9m4vR';
const WEBHOOK_PATH = '/project-dashboard/api/webhooks/deployment';

let server;
let baseUrl;
let received;
let replies;
let workDir;

before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'notify-deployment-'));
    server = createServer((request, response) => {
        const chunks = [];
        request.on('data', (chunk) => chunks.push(chunk));
        request.on('end', () => {
            received.push({ method: request.method, url: request.url, headers: request.headers, raw: Buffer.concat(chunks) });
            const reply = replies.shift() ?? { status: 202, body: '{"accepted":true}' };
            response.writeHead(reply.status, { 'Content-Type': 'application/json' });
            response.end(reply.body ?? '');
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
    server.close();
    rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
    received = [];
    replies = [];
});

/** The environment action.yml hands over, with its defaults and the values of a typical deployment. */
function actionEnv(overrides) {
    return {
        NOTIFY_URL: `${baseUrl}${WEBHOOK_PATH}`,
        NOTIFY_SECRET: SECRET,
        NOTIFY_TOKEN: TOKEN,
        NOTIFY_PROJECT: 'axi-star-cloud',
        NOTIFY_DEPLOYMENT_ID: '123456789',
        NOTIFY_WORKFLOW_NAME: 'deploy-project',
        NOTIFY_WORKFLOW_ID: '987654321',
        NOTIFY_SOURCE: 'workflow',
        NOTIFY_RETRIES: '3',
        NOTIFY_FAIL_ON_ERROR: 'false',
        ...overrides,
    };
}

/** Runs the script; every run also proves that neither the secret nor the token is ever printed. */
async function notify(overrides) {
    const child = spawn(process.execPath, [SCRIPT], {
        // Only PATH from this machine: a RUNNER_TEMP or NOTIFY_* of the surrounding shell must not leak in.
        env: { PATH: process.env.PATH, NOTIFY_RETRY_BASE_MS: '10', ...actionEnv(overrides) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    const code = await new Promise((resolve) => child.on('close', resolve));
    for (const credential of [SECRET, TOKEN]) {
        assert.ok(!stdout.includes(credential), `stdout reveals a credential:\n${stdout}`);
        assert.ok(!stderr.includes(credential), `stderr reveals a credential:\n${stderr}`);
    }
    return { code, stdout, stderr };
}

function signatureOf(bytes) {
    return `sha256=${createHmac('sha256', SECRET).update(bytes).digest('hex')}`;
}

/** Checks the headers of one delivered request and returns its parsed body. */
function deliveredBody(request, { signed = true, bearer = true } = {}) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, WEBHOOK_PATH);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], 'project-dashboard-notify/1.0');
    if (signed) {
        assert.equal(request.headers['x-hub-signature-256'], signatureOf(request.raw));
    } else {
        assert.equal(request.headers['x-hub-signature-256'], undefined);
    }
    assert.equal(request.headers.authorization, bearer ? `Bearer ${TOKEN}` : undefined);
    return JSON.parse(request.raw.toString('utf8'));
}

/** Exact shape: same members in the same order as the source-002 examples, same values and JSON types. */
function assertPayload(actual, expected) {
    assert.deepEqual(Object.keys(actual), Object.keys(expected));
    assert.deepEqual(actual, expected);
}

function writeLogFile(name, content) {
    const path = join(workDir, name);
    writeFileSync(path, content);
    return path;
}

describe('payloads of source 002', () => {
    test('step_started defaults step_status to started and duration to the number 0', async () => {
        const { code } = await notify({
            NOTIFY_TYPE: 'step_started',
            NOTIFY_STEP_NAME: '部署验证',
            NOTIFY_LOGS: '开始验证部署参数',
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:00Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), {
            type: 'step_started',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            step_name: '部署验证',
            step_status: 'started',
            timestamp: '2024-01-01T12:00:00.000Z',
            workflow_name: 'deploy-project',
            workflow_id: '987654321',
            logs: '开始验证部署参数',
            duration: 0,
        });
    });

    test('step_completed carries the given status and duration', async () => {
        const { code } = await notify({
            NOTIFY_TYPE: 'step_completed',
            NOTIFY_STEP_NAME: '构建应用',
            NOTIFY_STEP_STATUS: 'failed',
            NOTIFY_LOGS: 'npm run build exited with 1',
            NOTIFY_DURATION: '12',
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:12.345Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), {
            type: 'step_completed',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            step_name: '构建应用',
            step_status: 'failed',
            timestamp: '2024-01-01T12:00:12.345Z',
            workflow_name: 'deploy-project',
            workflow_id: '987654321',
            logs: 'npm run build exited with 1',
            duration: 12,
        });
    });

    test('deployment_completed', async () => {
        const { code } = await notify({
            NOTIFY_TYPE: 'deployment_completed',
            NOTIFY_STATUS: 'success',
            NOTIFY_DURATION: '45',
            NOTIFY_LOGS: '部署成功，耗时 45 秒',
            NOTIFY_STARTED_AT: '2024-01-01T12:00:15Z',
            NOTIFY_COMPLETED_AT: '2024-01-01T12:01:00Z',
            NOTIFY_TIMESTAMP: '2024-01-01T12:01:00Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), {
            type: 'deployment_completed',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            status: 'success',
            duration: 45,
            timestamp: '2024-01-01T12:01:00.000Z',
            workflow_name: 'deploy-project',
            workflow_id: '987654321',
            logs: '部署成功，耗时 45 秒',
            started_at: '2024-01-01T12:00:15.000Z',
            completed_at: '2024-01-01T12:01:00.000Z',
        });
    });

    test('log_entry', async () => {
        const { code } = await notify({
            NOTIFY_TYPE: 'log_entry',
            NOTIFY_LOG_STREAM_ID: 'deployment_123456789_1704110400',
            NOTIFY_LEVEL: 'info',
            NOTIFY_MESSAGE: '正在上传构建产物...',
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:30.000Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), {
            type: 'log_entry',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            log_stream_id: 'deployment_123456789_1704110400',
            timestamp: '2024-01-01T12:00:30.000Z',
            level: 'info',
            message: '正在上传构建产物...',
            source: 'workflow',
        });
    });

    test('log_batch reads one entry per non-blank line and takes a leading [level] as the level', async () => {
        const logFile = writeLogFile(
            'deploy.log',
            '[info] 日志1\r\n\nplain line\n[ERROR] upload failed\n[warn] retrying upload\n[build] not a level\n',
        );
        const { code } = await notify({
            NOTIFY_TYPE: 'log_batch',
            NOTIFY_LOG_FILE: logFile,
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:40Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        const timestamp = '2024-01-01T12:00:40.000Z';
        assertPayload(deliveredBody(received[0]), {
            type: 'log_batch',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            logs: [
                { level: 'info', message: '日志1', timestamp },
                { level: 'info', message: 'plain line', timestamp },
                { level: 'error', message: 'upload failed', timestamp },
                { level: 'warn', message: 'retrying upload', timestamp },
                { level: 'info', message: '[build] not a level', timestamp },
            ],
        });
        for (const entry of JSON.parse(received[0].raw).logs) {
            assert.deepEqual(Object.keys(entry), ['level', 'message', 'timestamp']);
        }
    });

    test('metrics_update keeps numbers as numbers', async () => {
        const metrics = {
            total_duration: 45,
            start_time: '2024-01-01T12:00:15.000Z',
            end_time: '2024-01-01T12:01:00.000Z',
            status: 'success',
            steps_count: 5,
            successful_steps: 5,
            failed_steps: 0,
        };
        const { code } = await notify({
            NOTIFY_TYPE: 'metrics_update',
            NOTIFY_METRICS: JSON.stringify(metrics, null, 2),
            NOTIFY_TIMESTAMP: '2024-01-01T12:01:00.000Z',
        });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), {
            type: 'metrics_update',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            timestamp: '2024-01-01T12:01:00.000Z',
            metrics,
        });
        assert.equal(typeof JSON.parse(received[0].raw).metrics.total_duration, 'number');
    });

    test('test', async () => {
        const { code } = await notify({ NOTIFY_TYPE: 'test' });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assertPayload(deliveredBody(received[0]), { type: 'test', project: 'axi-star-cloud' });
    });
});

describe('optional fields', () => {
    test('empty optional fields are left out, not sent as empty strings', async () => {
        const { code } = await notify({
            NOTIFY_TYPE: 'step_completed',
            NOTIFY_STEP_NAME: '健康检查',
            NOTIFY_WORKFLOW_NAME: '',
            NOTIFY_WORKFLOW_ID: '',
            NOTIFY_LOGS: '   ',
        });
        assert.equal(code, 0);
        const body = deliveredBody(received[0]);
        assert.deepEqual(Object.keys(body), ['type', 'project', 'deployment_id', 'step_name', 'step_status', 'timestamp']);
        assert.equal(body.step_status, 'completed');
    });

    test('timestamp defaults to now in ISO-8601 UTC with milliseconds', async () => {
        const before = Date.now();
        await notify({ NOTIFY_TYPE: 'step_started', NOTIFY_STEP_NAME: 'build' });
        const { timestamp } = deliveredBody(received[0]);
        assert.match(timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.ok(Date.parse(timestamp) >= before - 1000 && Date.parse(timestamp) <= Date.now());
    });

    test('deployment_completed derives duration from started_at, completed_at from timestamp, failure as failed', async () => {
        await notify({
            NOTIFY_TYPE: 'deployment_completed',
            NOTIFY_STATUS: 'failure',
            NOTIFY_STARTED_AT: '2024-01-01T12:00:15Z',
            NOTIFY_TIMESTAMP: '2024-01-01T12:01:00Z',
        });
        assertPayload(deliveredBody(received[0]), {
            type: 'deployment_completed',
            project: 'axi-star-cloud',
            deployment_id: '123456789',
            status: 'failed',
            duration: 45,
            timestamp: '2024-01-01T12:01:00.000Z',
            workflow_name: 'deploy-project',
            workflow_id: '987654321',
            started_at: '2024-01-01T12:00:15.000Z',
            completed_at: '2024-01-01T12:01:00.000Z',
        });
    });

    test('fractional durations are sent as JSON numbers, given or derived to the millisecond', async () => {
        await notify({ NOTIFY_TYPE: 'step_completed', NOTIFY_STEP_NAME: '构建应用', NOTIFY_DURATION: '12.500000000' });
        await notify({
            NOTIFY_TYPE: 'deployment_completed',
            NOTIFY_STATUS: 'success',
            NOTIFY_STARTED_AT: '2024-01-01T12:00:15.250Z',
            NOTIFY_TIMESTAMP: '2024-01-01T12:01:00Z',
        });
        assert.match(received[0].raw.toString('utf8'), /"duration":12\.5[,}]/);
        assert.match(received[1].raw.toString('utf8'), /"duration":44\.75[,}]/);
    });

    test('log_entry defaults level, source and a stream id that stays the same within a job', async () => {
        const runnerTemp = mkdtempSync(join(workDir, 'runner-temp-'));
        await notify({
            NOTIFY_TYPE: 'log_entry',
            NOTIFY_MESSAGE: 'first',
            NOTIFY_SOURCE: '',
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:00Z',
            RUNNER_TEMP: runnerTemp,
        });
        await notify({
            NOTIFY_TYPE: 'log_entry',
            NOTIFY_MESSAGE: 'second',
            NOTIFY_TIMESTAMP: '2024-01-01T12:00:30Z',
            RUNNER_TEMP: runnerTemp,
        });
        const [first, second] = received.map((request) => deliveredBody(request));
        assert.equal(first.log_stream_id, 'deployment_123456789_1704110400');
        assert.equal(first.level, 'info');
        assert.equal(first.source, 'workflow');
        assert.equal(second.log_stream_id, first.log_stream_id);
    });

    test('no signature and no authorization header without secret and token', async () => {
        const { code } = await notify({ NOTIFY_TYPE: 'test', NOTIFY_SECRET: '', NOTIFY_TOKEN: '' });
        assert.equal(code, 0);
        deliveredBody(received[0], { signed: false, bearer: false });
    });
});

test('log_batch is split into posts of at most 500 lines, in order', async () => {
    const lines = Array.from({ length: 1201 }, (_, i) => `line ${i + 1}`);
    const { code } = await notify({ NOTIFY_TYPE: 'log_batch', NOTIFY_LOG_FILE: writeLogFile('big.log', lines.join('\n')) });
    assert.equal(code, 0);
    const bodies = received.map((request) => deliveredBody(request));
    assert.deepEqual(
        bodies.map((body) => body.logs.length),
        [500, 500, 201],
    );
    assert.deepEqual(
        bodies.flatMap((body) => body.logs.map((entry) => entry.message)),
        lines,
    );
});

test('an empty log file sends nothing and succeeds', async () => {
    const { code, stdout } = await notify({ NOTIFY_TYPE: 'log_batch', NOTIFY_LOG_FILE: writeLogFile('empty.log', '\n\n') });
    assert.equal(code, 0);
    assert.equal(received.length, 0);
    assert.match(stdout, /nothing to send/);
});

describe('delivery', () => {
    test('prints the status and the response body', async () => {
        replies = [{ status: 202, body: '{"accepted":true,"id":"n-42"}' }];
        const { stdout } = await notify({ NOTIFY_TYPE: 'test' });
        assert.match(stdout, /HTTP 202 \{"accepted":true,"id":"n-42"\}/);
    });

    test('a 500 is retried with the byte-identical body and signature', async () => {
        replies = [{ status: 500, body: 'boom' }, { status: 202 }];
        const { code } = await notify({ NOTIFY_TYPE: 'step_started', NOTIFY_STEP_NAME: '部署验证' });
        assert.equal(code, 0);
        assert.equal(received.length, 2);
        assert.ok(received[0].raw.equals(received[1].raw));
        assert.equal(received[1].headers['x-hub-signature-256'], received[0].headers['x-hub-signature-256']);
        deliveredBody(received[1]);
    });

    test('a 429 is retried', async () => {
        replies = [{ status: 429 }, { status: 200 }];
        const { code } = await notify({ NOTIFY_TYPE: 'test' });
        assert.equal(code, 0);
        assert.equal(received.length, 2);
    });

    test('a 400 is not retried and only warns by default', async () => {
        replies = [{ status: 400, body: '{"title":"Bad Request"}' }];
        const { code, stdout } = await notify({ NOTIFY_TYPE: 'test' });
        assert.equal(code, 0);
        assert.equal(received.length, 1);
        assert.match(stdout, /^::warning::notify-deployment: test not delivered: HTTP 400/m);
    });

    test('a 400 fails the step when fail_on_error is true', async () => {
        replies = [{ status: 400 }];
        const { code, stdout } = await notify({ NOTIFY_TYPE: 'test', NOTIFY_FAIL_ON_ERROR: 'true' });
        assert.equal(code, 1);
        assert.equal(received.length, 1);
        assert.match(stdout, /^::error::notify-deployment: test not delivered: HTTP 400/m);
    });

    test('gives up after the configured retries', async () => {
        replies = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 202 }];
        const { code, stdout } = await notify({ NOTIFY_TYPE: 'test', NOTIFY_RETRIES: '2', NOTIFY_FAIL_ON_ERROR: 'true' });
        assert.equal(code, 1);
        assert.equal(received.length, 3);
        assert.match(stdout, /HTTP 503 after 3 attempt\(s\)/);
    });

    test('network errors are retried and then only warn by default', async () => {
        const closed = createServer();
        await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${closed.address().port}${WEBHOOK_PATH}`;
        await new Promise((resolve) => closed.close(resolve));

        const { code, stdout } = await notify({ NOTIFY_TYPE: 'test', NOTIFY_URL: url, NOTIFY_RETRIES: '2' });
        assert.equal(code, 0);
        assert.equal((stdout.match(/-> ECONNREFUSED/g) ?? []).length, 3);
        assert.match(stdout, /^::warning::.*ECONNREFUSED after 3 attempt\(s\)/m);
    });
});

describe('dry run', () => {
    test('prints one line per request with the exact body and sends nothing', async () => {
        const logFile = writeLogFile('dry.log', Array.from({ length: 501 }, (_, i) => `[info] 行 ${i}`).join('\n'));
        const { code, stdout } = await notify({ NOTIFY_TYPE: 'log_batch', NOTIFY_LOG_FILE: logFile, NOTIFY_DRY_RUN: '1' });
        assert.equal(code, 0);
        assert.equal(received.length, 0);
        const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
        assert.equal(lines.length, 2);
        for (const line of lines) {
            assert.deepEqual(Object.keys(line), ['url', 'headers', 'body']);
            assert.equal(line.url, `${baseUrl}${WEBHOOK_PATH}`);
            assert.equal(line.headers['Content-Type'], 'application/json');
            assert.equal(line.headers['User-Agent'], 'project-dashboard-notify/1.0');
            assert.equal(line.headers['X-Hub-Signature-256'], signatureOf(Buffer.from(line.body, 'utf8')));
            assert.equal(line.headers.Authorization, 'Bearer ***');
            assert.deepEqual(Object.keys(JSON.parse(line.body)), ['type', 'project', 'deployment_id', 'logs']);
        }
        assert.deepEqual(
            lines.map((line) => JSON.parse(line.body).logs.length),
            [500, 1],
        );
    });

    test('prints the same body the real run sends', async () => {
        const env = { NOTIFY_TYPE: 'step_started', NOTIFY_STEP_NAME: '部署验证', NOTIFY_TIMESTAMP: '2024-01-01T12:00:00Z' };
        const { stdout } = await notify({ ...env, NOTIFY_DRY_RUN: '1' });
        await notify(env);
        assert.equal(JSON.parse(stdout).body, received[0].raw.toString('utf8'));
    });
});

describe('invalid input is reported without sending', () => {
    const cases = {
        'an unknown type': { NOTIFY_TYPE: 'deploy_started' },
        'a step without step_name': { NOTIFY_TYPE: 'step_started' },
        'an unknown step_status': { NOTIFY_TYPE: 'step_completed', NOTIFY_STEP_NAME: 'x', NOTIFY_STEP_STATUS: 'done' },
        'a negative duration': { NOTIFY_TYPE: 'step_completed', NOTIFY_STEP_NAME: 'x', NOTIFY_DURATION: '-1.5' },
        'a duration that is not a plain number': { NOTIFY_TYPE: 'step_completed', NOTIFY_STEP_NAME: 'x', NOTIFY_DURATION: 'NaN' },
        'a duration with an exponent': { NOTIFY_TYPE: 'deployment_completed', NOTIFY_STATUS: 'success', NOTIFY_DURATION: '1e3' },
        'metrics that are not a JSON object': { NOTIFY_TYPE: 'metrics_update', NOTIFY_METRICS: '[1,2]' },
        'a missing log file': { NOTIFY_TYPE: 'log_batch', NOTIFY_LOG_FILE: '/nonexistent/deploy.log' },
        'a timestamp that is not a date': { NOTIFY_TYPE: 'log_entry', NOTIFY_MESSAGE: 'm', NOTIFY_TIMESTAMP: 'x' },
        'a missing url': { NOTIFY_TYPE: 'test', NOTIFY_URL: '' },
    };
    for (const [name, env] of Object.entries(cases)) {
        test(`${name}: a warning by default, exit 1 with fail_on_error`, async () => {
            const lenient = await notify(env);
            const strict = await notify({ ...env, NOTIFY_FAIL_ON_ERROR: 'true' });
            assert.equal(received.length, 0);
            assert.equal(lenient.code, 0);
            assert.match(lenient.stdout, /^::warning::notify-deployment: /m);
            assert.equal(strict.code, 1);
            assert.match(strict.stdout, /^::error::notify-deployment: /m);
        });
    }
});
