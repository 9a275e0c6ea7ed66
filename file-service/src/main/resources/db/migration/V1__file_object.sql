-- Metadata of every object file-service stored in the bucket (DESIGN §8, source 000).
-- Keys are {folder}/{yyyyMMdd}/{task_id}/{filename}; the bucket stays the source of truth for the bytes.
create table file_object (
    object_key   varchar(1024) primary key,
    folder       varchar(16)   not null check (folder in ('scenes', 'results')),
    task_id      varchar(255)  not null,
    file_name    varchar(512)  not null,
    content_type varchar(255),
    size_bytes   bigint        not null check (size_bytes >= 0),
    etag         varchar(128),
    uploaded_by  varchar(255),
    created_at   timestamptz   not null default now()
);

create index file_object_task_idx on file_object (task_id, created_at);
