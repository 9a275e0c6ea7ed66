-- Issue 9/10: every upload URL is a pending upload, so a file PUT through it is recorded (row + file.uploaded)
-- without a confirm call, which source 000's clients do not make: by the first read of its key, task or name, or by
-- the background sweep. The URL lets the client write a staging key only, never the file's own key: when the
-- object is recorded it is copied to object_key, so a URL can never replace a live file, however often it is used.
create table pending_upload (
    -- where the URL lets the client PUT (object_key itself for a URL issued before pending uploads existed)
    staging_key   varchar(1024) primary key,
    -- where the file is recorded
    object_key    varchar(1024) not null,
    kind          varchar(16)   not null check (kind in ('scene', 'result')),
    folder        varchar(255)  not null,
    task_id       varchar(255)  not null,
    file_name     varchar(512)  not null,
    content_type  varchar(255)  not null,
    -- the size signed into the URL as Content-Length, when the caller gave one
    declared_size bigint check (declared_size >= 0),
    issued_by     varchar(255)  not null,
    -- an admin's URL may record into a task that someone else owns by then
    issuer_admin  boolean       not null default false,
    issued_at     timestamptz   not null,
    expires_at    timestamptz   not null,
    -- when the sweep looks at it next; a sweep leases a row by moving this forward
    next_check_at timestamptz   not null,
    -- set in the transaction that writes the file row and copies the object
    recorded_at   timestamptz,
    -- file.uploaded is on the stream; the row stays until the URL expired, to remove what a reuse of it PUT again
    published_at  timestamptz
);

create index pending_upload_key_idx on pending_upload (object_key);
create index pending_upload_task_idx on pending_upload (task_id, file_name);
create index pending_upload_due_idx on pending_upload (next_check_at);
