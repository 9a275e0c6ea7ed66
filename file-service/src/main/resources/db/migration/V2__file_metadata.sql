-- Issue 3: one row per stored object, soft-deleted so a task's history stays readable; folder names are
-- configurable (S3_SCENE_FOLDER, S3_RESULT_FOLDER), so the row says what kind of file it is instead.
alter table file_object drop constraint file_object_pkey;
alter table file_object drop constraint file_object_folder_check;
alter table file_object alter column folder type varchar(255);
alter table file_object add column id bigserial primary key;
alter table file_object add column kind varchar(16) not null default 'scene'
    check (kind in ('scene', 'result', 'device'));
alter table file_object alter column kind drop default;
alter table file_object add column checksum_sha256 varchar(64);
alter table file_object add column deleted_at timestamptz;

-- at most one live row per key: an upload never silently replaces another file's metadata
create unique index file_object_live_key_idx on file_object (object_key) where deleted_at is null;
create index file_object_live_name_idx on file_object (task_id, file_name) where deleted_at is null;
