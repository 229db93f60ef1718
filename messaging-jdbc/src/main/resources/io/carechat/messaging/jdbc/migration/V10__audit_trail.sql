-- CareChat schema, version 10: the tamper-evident audit trail.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.
-- CareChat only ever inserts into audit_events; nothing updates or deletes its rows.

CREATE TABLE ${prefix}audit_events (
    seq            BIGINT       NOT NULL,
    event_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    action         VARCHAR(64)  NOT NULL,
    outcome        VARCHAR(16)  NOT NULL,
    actor_id       VARCHAR(64),
    actor_roles    VARCHAR(64)  NOT NULL,
    client_address VARCHAR(128),
    client_id      VARCHAR(128),
    object_type    VARCHAR(64),
    object_id      VARCHAR(128),
    patient_id     VARCHAR(64),
    request_id     VARCHAR(128),
    reason         VARCHAR(64),
    -- The hash of the event before (64 zeros for the first) and SHA-256 over this event and it.
    prev_hash      CHAR(64)     NOT NULL,
    hash           CHAR(64)     NOT NULL,
    CONSTRAINT ${prefix}audit_events_pk PRIMARY KEY (seq)
);

-- The administrator's view and exports filter by time.
CREATE INDEX ${prefix}audit_events_time_idx ON ${prefix}audit_events (event_time);

-- The chain's head: one row, locked by every append so that there is one chain and no fork.
CREATE TABLE ${prefix}audit_chain_head (
    id        INTEGER  NOT NULL,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL,
    CONSTRAINT ${prefix}audit_chain_head_pk PRIMARY KEY (id)
);

INSERT INTO ${prefix}audit_chain_head (id, last_seq, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
