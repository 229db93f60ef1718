-- CareChat schema, version 28: the background jobs' leases. One row per job (retention, key
-- rotation): the node holding the job's lease and until when, the cursor and row count of the
-- current or interrupted run (a run left midway resumes from it), and how the last run went (its
-- start, end, outcome and, for a failed run, the kind of error - never its message).
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}job_leases (
    job_name    VARCHAR(64)   NOT NULL,
    holder      VARCHAR(128),
    lease_until TIMESTAMP WITH TIME ZONE,
    cursor_at   VARCHAR(2048),
    processed   BIGINT        NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE,
    ended_at    TIMESTAMP WITH TIME ZONE,
    outcome     VARCHAR(16),
    error_kind  VARCHAR(128),
    CONSTRAINT ${prefix}job_leases_pk PRIMARY KEY (job_name),
    CONSTRAINT ${prefix}job_leases_processed CHECK (processed >= 0)
);
