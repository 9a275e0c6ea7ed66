-- Issue 9: every upload URL leaves a pending upload, so a file PUT through it is recorded (row + file.uploaded)
-- without a confirm call, which source 000's clients do not make: by the first read of its key, task or name, or
-- by the background sweep. The row also binds the task to the user who asked for the URL while it is outstanding.
create table pending_upload (
    object_key    varchar(1024) primary key,
    kind          varchar(16)   not null check (kind in ('scene', 'result')),
    folder        varchar(255)  not null,
    task_id       varchar(255)  not null,
    file_name     varchar(512)  not null,
    content_type  varchar(255)  not null,
    -- the size signed into the URL as Content-Length, when the caller gave one
    declared_size bigint check (declared_size >= 0),
    issued_by     varchar(255)  not null,
    issued_at     timestamptz   not null,
    expires_at    timestamptz   not null,
    -- when the sweep looks at it next; a sweep leases a row by moving this forward
    next_check_at timestamptz   not null,
    -- set in the statement that writes the file row; the pending row stays until file.uploaded is on the stream,
    -- so an event lost to a crash or a Redis outage is published again by the sweep
    recorded_at   timestamptz
);

create index pending_upload_task_idx on pending_upload (task_id, file_name);
create index pending_upload_due_idx on pending_upload (next_check_at);
