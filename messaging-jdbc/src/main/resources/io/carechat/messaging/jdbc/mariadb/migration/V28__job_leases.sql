-- CareChat schema on MariaDB and MySQL 8, version 28: the background jobs' leases, as the shared
-- V28 script, with the MariaDB types of V27 (DATETIME(6) holding UTC, utf8mb4_bin).
-- ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}job_leases (
    job_name    VARCHAR(64)   NOT NULL,
    holder      VARCHAR(128),
    lease_until DATETIME(6),
    cursor_at   VARCHAR(2048),
    processed   BIGINT        NOT NULL,
    started_at  DATETIME(6),
    ended_at    DATETIME(6),
    outcome     VARCHAR(16),
    error_kind  VARCHAR(128),
    CONSTRAINT ${prefix}job_leases_pk PRIMARY KEY (job_name),
    CONSTRAINT ${prefix}job_leases_processed CHECK (processed >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
