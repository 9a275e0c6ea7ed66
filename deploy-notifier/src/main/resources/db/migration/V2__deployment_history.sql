-- Steps, log lines, metrics snapshots, received webhooks (idempotency) and the events still to publish (outbox).
alter table deployment add column source varchar(16) not null default 'webhook';
alter table deployment add column logs text;
alter table deployment add column html_url varchar(1024);

-- the step list is ordered by first appearance
create table deployment_step (
    project          varchar(255)  not null,
    deployment_id    varchar(128)  not null,
    step_name        varchar(512)  not null,
    position         integer       not null,
    status           varchar(32)   not null,
    started_at       timestamptz,
    completed_at     timestamptz,
    duration_seconds bigint check (duration_seconds >= 0),
    logs             text,
    updated_at       timestamptz   not null default now(),
    primary key (project, deployment_id, step_name),
    foreign key (project, deployment_id) references deployment (project, deployment_id) on delete cascade
);

-- one row per log line, in arrival order (id)
create table deployment_log (
    id            bigserial     primary key,
    project       varchar(255)  not null,
    deployment_id varchar(128)  not null,
    log_stream_id varchar(255),
    logged_at     timestamptz   not null,
    level         varchar(16)   not null,
    message       text          not null,
    source        varchar(255),
    foreign key (project, deployment_id) references deployment (project, deployment_id) on delete cascade
);

create index deployment_log_order_idx on deployment_log (project, deployment_id, id);

create table deployment_metrics (
    id            bigserial     primary key,
    project       varchar(255)  not null,
    deployment_id varchar(128)  not null,
    recorded_at   timestamptz   not null,
    metrics       text          not null,
    foreign key (project, deployment_id) references deployment (project, deployment_id) on delete cascade
);

create index deployment_metrics_latest_idx on deployment_metrics (project, deployment_id, id desc);

-- every webhook accepted once: the X-GitHub-Delivery id, or a hash of the body when there is none
create table webhook_delivery (
    delivery_key  varchar(160)  primary key,
    id            uuid          not null unique,
    endpoint      varchar(16)   not null,
    kind          varchar(64)   not null,
    project       varchar(255),
    deployment_id varchar(128),
    received_at   timestamptz   not null default now()
);

-- events written in the same transaction as the data they describe, published after the commit; a row stays
-- unpublished while Redis is unreachable and is sent again by the caller's retry or the relay
create table event_outbox (
    id           bigserial     primary key,
    delivery_key varchar(160)  not null references webhook_delivery (delivery_key) on delete cascade,
    event_id     varchar(64)   not null unique,
    event_type   varchar(64)   not null,
    event        text          not null,
    created_at   timestamptz   not null default now(),
    published_at timestamptz
);

create index event_outbox_pending_idx on event_outbox (id) where published_at is null;
create index deployment_completed_idx on deployment (project, completed_at desc);
