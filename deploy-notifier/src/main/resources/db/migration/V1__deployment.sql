-- One CI deployment run as reported by the deployment webhook (DESIGN §8, source 002). Steps and logs
-- follow in later migrations.
create table deployment (
    project          varchar(255) not null,
    deployment_id    varchar(128) not null,
    workflow_name    varchar(255),
    workflow_id      varchar(128),
    status           varchar(32)  not null default 'running',
    duration_seconds integer check (duration_seconds >= 0),
    started_at       timestamptz  not null default now(),
    completed_at     timestamptz,
    updated_at       timestamptz  not null default now(),
    primary key (project, deployment_id)
);

create index deployment_recent_idx on deployment (project, started_at desc);
