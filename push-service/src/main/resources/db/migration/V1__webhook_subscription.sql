-- A downstream webhook registration (DESIGN §8, source 003). Delivery logs and the dead-letter queue follow
-- in later migrations.
create table webhook_subscription (
    id                uuid          primary key default gen_random_uuid(),
    name              varchar(255)  not null,
    url               varchar(2048) not null,
    -- event types (e.g. task.completed) this webhook receives; empty = all
    event_types       text[]        not null default '{}',
    -- the body template with {{task_id}}, {{result_json}}, {{file_url}}, {{meta_info}}; null = the event itself
    body_template     text,
    -- AES-256-GCM ciphertext under PUSH_ENCRYPTION_KEY, never the plain secret
    secret_ciphertext bytea,
    enabled           boolean       not null default true,
    created_by        varchar(255),
    created_at        timestamptz   not null default now(),
    updated_at        timestamptz   not null default now()
);

create index webhook_subscription_enabled_idx on webhook_subscription (enabled);
