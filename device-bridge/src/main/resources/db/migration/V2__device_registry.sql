-- The device registry (docs/device-bridge.md): cameras allowed to ask for upload URLs, their owners and the hash of
-- the per-device secret they log in to the broker with.
create table device (
    device_id        varchar(64)  primary key,
    name             varchar(200) not null,
    owner_id         varchar(128),
    enabled          boolean      not null default true,
    -- SHA-256 of a 256-bit random secret: a slow password hash buys nothing against a secret nobody can guess
    secret_hash      bytea        not null,
    secret_issued_at timestamptz  not null,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    last_seen_at     timestamptz
);

create index device_owner_idx on device (owner_id);

-- Everything source 001's status messages report, and what the bridge answered.
alter table device_upload
    alter column progress_percent type numeric(5, 2),
    add column priority          smallint not null default 1 check (priority between 0 and 3),
    add column local_file_path   varchar(1024),
    add column content_md5       varchar(64),
    add column multipart         boolean  not null default false,
    add column upload_id         varchar(1024),
    add column response          text,
    add column url_expires_at    timestamptz,
    add column request_count     integer  not null default 1,
    add column bytes_uploaded    bigint,
    add column speed_kbps        integer,
    add column eta_sec           integer,
    add column started_at        timestamptz,
    add column finished_at       timestamptz,
    add column duration_sec      integer,
    add column retry_count       integer,
    add column verified          boolean;

-- status messages name the camera's local file, not the request: the open upload of that file is the one meant
create index device_upload_local_file_idx on device_upload (device_id, local_file_path) where local_file_path is not null;
create index device_upload_key_idx on device_upload (device_id, object_key);
