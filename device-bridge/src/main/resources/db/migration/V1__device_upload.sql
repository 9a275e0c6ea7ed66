-- One camera upload, from the MQTT upload request to its final status (DESIGN §7, source 001).
create table device_upload (
    device_id        varchar(128)  not null,
    request_id       varchar(128)  not null,
    object_key       varchar(1024) not null,
    file_name        varchar(512)  not null,
    content_type     varchar(255),
    file_size        bigint check (file_size >= 0),
    status           varchar(32)   not null default 'requested'
        check (status in ('requested', 'started', 'in_progress', 'completed', 'failed')),
    progress_percent smallint check (progress_percent between 0 and 100),
    error_code       varchar(64),
    error_message    text,
    requested_at     timestamptz   not null default now(),
    updated_at       timestamptz   not null default now(),
    -- request ids are chosen by the devices, so they are only unique per device
    primary key (device_id, request_id)
);

create index device_upload_recent_idx on device_upload (device_id, requested_at desc);
