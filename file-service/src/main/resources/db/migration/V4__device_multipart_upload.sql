-- Issue 10 #13: the multipart uploads file-service started for devices. The store alone cannot be asked (S3Proxy
-- lists parts of any upload id, even one it never issued), and an upload id must not be usable for another key or
-- by another device.
create table device_multipart_upload (
    upload_id  varchar(1024) primary key,
    object_key varchar(1024) not null,
    device_id  varchar(64)   not null,
    file_size  bigint        not null check (file_size >= 0),
    created_at timestamptz   not null default now()
);
