// Sends one deployment notification (the source-002 payloads) to the project-dashboard webhook.
// Inputs arrive as NOTIFY_* environment variables (see action.yml). No npm dependencies on purpose:
// the action must run on any runner with Node 18+ without an install step.
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const USER_AGENT = 'project-dashboard-notify/1.0';
const LOG_BATCH_LINES = 500;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_RETRIES = 10;
const RESPONSE_PRINT_LIMIT = 2_000;
const TYPES = [
    'step_started',
    'step_completed',
    'deployment_completed',
    'log_entry',
    'log_batch',
    'metrics_update',
    'test',
];
const STEP_STATUSES = ['started', 'running', 'completed', 'failed', 'retrying'];
// Only well-known level words count as a prefix, so "[build] …" or "[2024-01-01] …" stay part of the message.
const LEVEL_PREFIX = /^\[(trace|debug|info|notice|warn|warning|error|fatal)\] /i;

class InputError extends Error {}

function readInputs(env) {
    const text = (name) => env[`NOTIFY_${name}`] ?? '';
    const trimmed = (name) => text(name).trim();
    return {
        url: trimmed('URL'),
        // Not trimmed: the HMAC must use the secret exactly as the server has it.
        secret: text('SECRET'),
        token: trimmed('TOKEN'),
        type: trimmed('TYPE'),
        project: trimmed('PROJECT'),
        deploymentId: trimmed('DEPLOYMENT_ID'),
        workflowName: trimmed('WORKFLOW_NAME'),
        workflowId: trimmed('WORKFLOW_ID'),
        stepName: trimmed('STEP_NAME'),
        stepStatus: trimmed('STEP_STATUS'),
        logs: text('LOGS'),
        duration: trimmed('DURATION'),
        status: trimmed('STATUS'),
        startedAt: trimmed('STARTED_AT'),
        completedAt: trimmed('COMPLETED_AT'),
        level: trimmed('LEVEL'),
        message: text('MESSAGE'),
        source: trimmed('SOURCE'),
        logStreamId: trimmed('LOG_STREAM_ID'),
        logFile: trimmed('LOG_FILE'),
        metrics: trimmed('METRICS'),
        timestamp: trimmed('TIMESTAMP'),
        retries: trimmed('RETRIES'),
        failOnError: isTrue(text('FAIL_ON_ERROR')),
        dryRun: isTrue(text('DRY_RUN')),
        retryBaseMs: trimmed('RETRY_BASE_MS'),
    };
}

function isTrue(value) {
    return ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

function blankToUndefined(value) {
    return value === undefined || value.trim() === '' ? undefined : value;
}

function required(value, input) {
    if (!value) {
        throw new InputError(`input '${input}' is required`);
    }
    return value;
}

function isoTimestamp(value, input) {
    if (!value) {
        return undefined;
    }
    const millis = Date.parse(value);
    if (Number.isNaN(millis)) {
        throw new InputError(`input '${input}' is not a date-time: ${value}`);
    }
    return new Date(millis).toISOString();
}

// Plain decimal notation only: `date +%s.%N` and `bc` arithmetic give 12.500000000, never 1e3, "NaN" or -1.
function seconds(value, input) {
    if (!value) {
        return undefined;
    }
    if (!/^\d+(\.\d+)?$/.test(value)) {
        throw new InputError(`input '${input}' must be a number of seconds such as 45 or 12.5, got: ${value}`);
    }
    return Number(value);
}

function retryCount(value) {
    if (!value) {
        return 3;
    }
    if (!/^\d+$/.test(value) || Number(value) > MAX_RETRIES) {
        throw new InputError(`input 'retries' must be a whole number from 0 to ${MAX_RETRIES}, got: ${value}`);
    }
    return Number(value);
}

function webhookUrl(value) {
    required(value, 'url');
    let url;
    try {
        url = new URL(value);
    } catch {
        throw new InputError(`input 'url' is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError(`input 'url' must be http(s), got ${url.protocol}`);
    }
    return url;
}

/** JSON.stringify drops undefined members, which is how empty optional fields are left out. */
function buildPayloads(inputs, now, env) {
    const type = required(inputs.type, 'type');
    if (!TYPES.includes(type)) {
        throw new InputError(`input 'type' must be one of ${TYPES.join(', ')}, got: ${type}`);
    }
    const project = required(inputs.project, 'project');
    if (type === 'test') {
        return [{ type, project }];
    }
    const deploymentId = required(inputs.deploymentId, 'deployment_id');
    const timestamp = isoTimestamp(inputs.timestamp, 'timestamp') ?? now.toISOString();

    switch (type) {
        case 'step_started':
        case 'step_completed': {
            const stepStatus = inputs.stepStatus || (type === 'step_started' ? 'started' : 'completed');
            if (!STEP_STATUSES.includes(stepStatus)) {
                throw new InputError(
                    `input 'step_status' must be one of ${STEP_STATUSES.join(', ')}, got: ${stepStatus}`,
                );
            }
            const duration = seconds(inputs.duration, 'duration');
            return [
                {
                    type,
                    project,
                    deployment_id: deploymentId,
                    step_name: required(inputs.stepName, 'step_name'),
                    step_status: stepStatus,
                    timestamp,
                    workflow_name: inputs.workflowName || undefined,
                    workflow_id: inputs.workflowId || undefined,
                    logs: blankToUndefined(inputs.logs),
                    duration: type === 'step_started' ? (duration ?? 0) : duration,
                },
            ];
        }
        case 'deployment_completed': {
            const startedAt = isoTimestamp(inputs.startedAt, 'started_at');
            const completedAt = isoTimestamp(inputs.completedAt, 'completed_at') ?? timestamp;
            let duration = seconds(inputs.duration, 'duration');
            if (duration === undefined && startedAt) {
                // to the millisecond, as the service derives it: 12:00:15.250 to 12:01:00 is 44.75
                duration = Math.max(0, (Date.parse(completedAt) - Date.parse(startedAt)) / 1000);
            }
            return [
                {
                    type,
                    project,
                    deployment_id: deploymentId,
                    status: deploymentStatus(required(inputs.status, 'status')),
                    duration,
                    timestamp,
                    workflow_name: inputs.workflowName || undefined,
                    workflow_id: inputs.workflowId || undefined,
                    logs: blankToUndefined(inputs.logs),
                    started_at: startedAt,
                    completed_at: completedAt,
                },
            ];
        }
        case 'log_entry':
            return [
                {
                    type,
                    project,
                    deployment_id: deploymentId,
                    log_stream_id: inputs.logStreamId || defaultLogStreamId(deploymentId, timestamp, env),
                    timestamp,
                    level: inputs.level || 'info',
                    message: required(blankToUndefined(inputs.message), 'message'),
                    source: inputs.source || 'workflow',
                },
            ];
        case 'log_batch':
            return chunk(readLogLines(required(inputs.logFile, 'log_file'), timestamp), LOG_BATCH_LINES).map(
                (logs) => ({ type, project, deployment_id: deploymentId, logs }),
            );
        case 'metrics_update':
            return [
                {
                    type,
                    project,
                    deployment_id: deploymentId,
                    timestamp,
                    metrics: metricsObject(required(inputs.metrics, 'metrics')),
                },
            ];
        default:
            throw new InputError(`unhandled type ${type}`);
    }
}

// `${{ job.status }}` says "failure"; the dashboard contract (source 002) says "failed".
function deploymentStatus(status) {
    return status === 'failure' ? 'failed' : status;
}

/**
 * One stream per deployment within a job: the first log_entry fixes the id in RUNNER_TEMP (emptied by the
 * runner after each job), later entries reuse it instead of opening a stream per line.
 */
function defaultLogStreamId(deploymentId, timestamp, env) {
    const fresh = `deployment_${deploymentId}_${Math.floor(Date.parse(timestamp) / 1000)}`;
    if (!env.RUNNER_TEMP) {
        return fresh;
    }
    const dir = join(env.RUNNER_TEMP, 'notify-deployment');
    const file = join(dir, `log-stream-${deploymentId.replace(/[^\w.-]/g, '_')}`);
    try {
        const saved = readFileSync(file, 'utf8').trim();
        if (saved) {
            return saved;
        }
    } catch {
        // first entry of this deployment in this job
    }
    try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, fresh);
    } catch {
        // a stream id per entry is still a valid notification
    }
    return fresh;
}

function readLogLines(path, timestamp) {
    let content;
    try {
        content = readFileSync(path, 'utf8');
    } catch (error) {
        throw new InputError(`cannot read log_file ${path}: ${error.code ?? error.message}`);
    }
    return content
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => {
            const prefix = LEVEL_PREFIX.exec(line);
            return prefix
                ? { level: prefix[1].toLowerCase(), message: line.slice(prefix[0].length), timestamp }
                : { level: 'info', message: line, timestamp };
        });
}

function chunk(items, size) {
    const chunks = [];
    for (let i = 0; i < items.length; i += size) {
        chunks.push(items.slice(i, i + size));
    }
    return chunks;
}

function metricsObject(json) {
    let metrics;
    try {
        metrics = JSON.parse(json);
    } catch (error) {
        throw new InputError(`input 'metrics' is not JSON: ${error.message}`);
    }
    if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
        throw new InputError(`input 'metrics' must be a JSON object`);
    }
    return metrics;
}

function buildRequest(url, payload, { secret, token }) {
    const body = JSON.stringify(payload);
    const bytes = Buffer.from(body, 'utf8');
    const headers = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT };
    if (secret) {
        headers['X-Hub-Signature-256'] = `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
    }
    if (token) {
        headers.Authorization = `Bearer ${token}`;
    }
    return { url: url.href, headers, body, bytes };
}

function printable(url) {
    // The query string may carry credentials; the path is enough to recognise the endpoint in a log.
    return `${url.origin}${url.pathname}`;
}

function truncate(text) {
    return text.length > RESPONSE_PRINT_LIMIT ? `${text.slice(0, RESPONSE_PRINT_LIMIT)}… (truncated)` : text;
}

function retryAfterMs(header) {
    if (!header || !/^\d+$/.test(header.trim())) {
        return 0;
    }
    return Math.min(Number(header.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

function describe(error) {
    const cause = error.cause;
    return cause?.code ?? cause?.message ?? error.name ?? String(error);
}

/** Retries re-send the same bytes: the server drops identical bodies, so a retry after a lost answer is safe. */
async function send(request, label, { retries, baseDelayMs }) {
    for (let attempt = 0; ; attempt++) {
        let reason;
        let waitAtLeast = 0;
        try {
            const response = await fetch(request.url, {
                method: 'POST',
                headers: request.headers,
                body: request.bytes,
                // A redirected POST may turn into a GET or carry the token elsewhere: report it instead.
                redirect: 'manual',
                signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
            const text = await response.text();
            console.log(`notify-deployment: ${label} -> HTTP ${response.status} ${truncate(text)}`);
            if (response.ok) {
                return { ok: true };
            }
            reason = `HTTP ${response.status}`;
            if (response.status >= 300 && response.status < 400) {
                return { ok: false, reason: `${reason}: redirected, set 'url' to the final address` };
            }
            if (response.status !== 429 && response.status < 500) {
                return { ok: false, reason };
            }
            waitAtLeast = retryAfterMs(response.headers.get('retry-after'));
        } catch (error) {
            reason = describe(error);
            console.log(`notify-deployment: ${label} -> ${reason}`);
        }
        if (attempt >= retries) {
            return { ok: false, reason: `${reason} after ${attempt + 1} attempt(s)` };
        }
        const delay = Math.max(baseDelayMs * 2 ** attempt, waitAtLeast);
        console.log(`notify-deployment: retrying in ${delay} ms (${attempt + 1}/${retries})`);
        await sleep(delay);
    }
}

function escapeCommand(message) {
    return message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

async function main() {
    const inputs = readInputs(process.env);
    const fail = (message) => {
        // By default a dashboard outage or a notification mistake must never fail the deployment itself.
        const level = inputs.failOnError ? 'error' : 'warning';
        console.log(`::${level}::${escapeCommand(`notify-deployment: ${message}`)}`);
        if (inputs.failOnError) {
            process.exitCode = 1;
        }
    };

    let url;
    let payloads;
    let retries;
    try {
        url = webhookUrl(inputs.url);
        retries = retryCount(inputs.retries);
        payloads = buildPayloads(inputs, new Date(), process.env);
    } catch (error) {
        fail(error instanceof InputError ? error.message : `unexpected error: ${error.message}`);
        return;
    }
    if (payloads.length === 0) {
        console.log(`notify-deployment: ${inputs.type}: nothing to send (empty log file)`);
        return;
    }

    const requests = payloads.map((payload) => buildRequest(url, payload, inputs));
    if (inputs.dryRun) {
        for (const { url: target, headers, body } of requests) {
            const shown = headers.Authorization ? { ...headers, Authorization: 'Bearer ***' } : headers;
            process.stdout.write(`${JSON.stringify({ url: target, headers: shown, body })}\n`);
        }
        return;
    }

    // NOTIFY_RETRY_BASE_MS only exists so the tests need not wait whole seconds between attempts.
    const baseDelayMs = /^\d+$/.test(inputs.retryBaseMs) ? Number(inputs.retryBaseMs) : 1000;
    for (const [index, request] of requests.entries()) {
        const part = requests.length > 1 ? ` part ${index + 1}/${requests.length}` : '';
        const label = `${inputs.type}${part} POST ${printable(url)}`;
        const result = await send(request, label, { retries, baseDelayMs });
        if (!result.ok) {
            fail(`${inputs.type}${part} not delivered: ${result.reason}`);
            return;
        }
    }
}

await main();
