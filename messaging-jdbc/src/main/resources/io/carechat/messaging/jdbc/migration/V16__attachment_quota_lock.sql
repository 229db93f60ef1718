-- CareChat schema, version 16: the row every upload locks, so that checking the attachment quotas
-- (the owner's and the total) and storing the upload are one atomic step, on every node.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}attachment_quota_lock (
    id INT NOT NULL,
    CONSTRAINT ${prefix}attachment_quota_lock_pk PRIMARY KEY (id)
);

INSERT INTO ${prefix}attachment_quota_lock (id) VALUES (1);
