-- Webhook settings beyond V1 (docs/push-service.md, Registrations), events to deliver, deliveries (one per event and
-- webhook, durable through restarts: the retry schedule lives here, not in memory) and the push log (one row per
-- attempt, source 003's save_push_log fields).

alter table webhook_subscription
    -- only events whose subject starts with this (e.g. project:shop, task:T_2025); null = any subject
    add column subject_prefix        varchar(255),
    -- none | basic | bearer | api_key (source 003's AuthType)
    add column auth_type             varchar(16)   not null default 'none',
    -- AES-256-GCM ciphertext of the auth config JSON, associated data = the webhook id
    add column auth_ciphertext       bytea,
    -- the secret before the last rotation, signing too until previous_secret_expires_at
    add column previous_secret_ciphertext bytea,
    add column previous_secret_expires_at timestamptz,
    add column timeout_ms            integer       not null default 30000,
    -- retry delays in seconds; null = the service's default (10, 30, 90: source 003's PUSH_RETRY_DELAYS)
    add column retry_delays_s        integer[],
    -- requests per second to this endpoint at most, per replica; null = no limit
    add column rate_limit            integer,
    -- why the service disabled it (410 Gone), null when enabled or disabled by a user
    add column disabled_reason       varchar(255);

create table push_event (
    event_id    varchar(255) primary key,
    event_type  varchar(64)  not null,
    subject     varchar(255),
    task_id     varchar(255),
    event_time  timestamptz  not null,
    -- the CloudEvent's data object
    data        jsonb        not null,
    received_at timestamptz  not null default now()
);

create table delivery (
    -- sent as webhook-id: the same across retries and re-pushes of this event to this webhook
    id              uuid         primary key,
    webhook_id      uuid         not null references webhook_subscription (id) on delete cascade,
    event_id        varchar(255) not null references push_event (event_id),
    task_id         varchar(255),
    event_type      varchar(64)  not null,
    -- PENDING (due at next_attempt_at) | DELIVERED | PUSH_FAILED (dead-lettered, source 003) | CANCELLED
    status          varchar(16)  not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    -- the replica sending it now, until lease_until; an expired lease is taken over
    lease_owner     varchar(64),
    lease_until     timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now(),
    delivered_at    timestamptz,
    dead_at         timestamptz,
    -- one delivery per event and webhook, however often the event bus hands the event over
    unique (event_id, webhook_id)
);

create index delivery_due_idx on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_dead_idx on delivery (dead_at desc) where status = 'PUSH_FAILED';
create index delivery_task_idx on delivery (task_id);
create index delivery_webhook_idx on delivery (webhook_id, created_at desc);

create table push_log (
    id               bigserial    primary key,
    delivery_id      uuid         not null,
    webhook_id       uuid         not null,
    task_id          varchar(255),
    event_id         varchar(255) not null,
    success          boolean      not null,
    -- null when no answer came (timeout, connection error, refused address)
    http_status      integer,
    -- secrets redacted
    request_headers  jsonb        not null,
    request_body     text,
    response_headers jsonb,
    -- truncated
    response_body    text,
    duration_ms      integer      not null,
    -- 0 for the first attempt (source 003's retry_count)
    retry_count      integer      not null,
    error_message    text,
    created_at       timestamptz  not null default now()
);

create index push_log_task_idx on push_log (task_id, created_at desc);
create index push_log_webhook_idx on push_log (webhook_id, created_at desc);
create index push_log_created_idx on push_log (created_at);
