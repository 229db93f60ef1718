-- CareChat schema on MariaDB (10.11 tested) and MySQL 8: the tables of the shared migrations V1 to
-- V27, as they stand after V27, in one script. A MariaDB database starts at this version; later
-- versions add a script here beside the shared one (the same version number) where the SQL must
-- differ. ${prefix} is the optional table prefix.
--
-- What differs from the shared scripts, and why:
-- - Every table is utf8mb4 with the binary collation utf8mb4_bin: ids are compared case-sensitively,
--   as on H2 and PostgreSQL, and any Unicode text is kept.
-- - Times are DATETIME(6) holding UTC (the dialect binds and reads them as UTC): MariaDB has no
--   TIMESTAMP WITH TIME ZONE, and its TIMESTAMP ends in 2038.
-- - TEXT becomes MEDIUMTEXT (TEXT holds only 64 KiB) and BYTEA becomes LONGBLOB.
-- - An InnoDB index key holds at most 3072 bytes, 768 utf8mb4 characters: the direct key
--   (VARCHAR(1021)) is unique through a stored SHA-256 of it instead of an index on the text.

CREATE TABLE ${prefix}users (
    id                 VARCHAR(255)  NOT NULL,
    username           VARCHAR(255)  NOT NULL,
    username_lower     VARCHAR(255)  NOT NULL,
    email              VARCHAR(320)  NOT NULL,
    email_lower        VARCHAR(320)  NOT NULL,
    display_name       VARCHAR(255)  NOT NULL,
    roles              VARCHAR(64)   NOT NULL,
    enabled            BOOLEAN       NOT NULL,
    password_hash      VARCHAR(1024) NOT NULL,
    created_at         DATETIME(6)   NOT NULL,
    tokens_valid_after DATETIME(6),
    CONSTRAINT ${prefix}users_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}users_username_lower_uq UNIQUE (username_lower),
    CONSTRAINT ${prefix}users_email_lower_uq UNIQUE (email_lower)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}users_display_name_idx ON ${prefix}users (display_name, username);

CREATE TABLE ${prefix}role_requests (
    id          VARCHAR(64)   NOT NULL,
    user_id     VARCHAR(255)  NOT NULL,
    role        VARCHAR(16)   NOT NULL,
    note        VARCHAR(8192) NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    created_at  DATETIME(6)   NOT NULL,
    decided_at  DATETIME(6),
    decided_by  VARCHAR(255),
    pending_key VARCHAR(100),
    CONSTRAINT ${prefix}role_requests_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}role_requests_pending_uq UNIQUE (pending_key),
    CONSTRAINT ${prefix}role_requests_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}role_requests_status_idx ON ${prefix}role_requests (status, created_at);

CREATE TABLE ${prefix}conversations (
    id              VARCHAR(64)   NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    direct_key      VARCHAR(1021),
    -- One direct conversation per pair: the key's hash is unique (NULL for a group).
    direct_key_hash BINARY(32) AS (UNHEX(SHA2(direct_key, 256))) STORED,
    last_seq        BIGINT        NOT NULL,
    last_message_at DATETIME(6),
    created_at      DATETIME(6)   NOT NULL,
    title           VARCHAR(100),
    CONSTRAINT ${prefix}conversations_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}conversations_direct_key_uq UNIQUE (direct_key_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}members (
    conversation_id VARCHAR(64)  NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    join_order      INTEGER      NOT NULL,
    delivered_seq   BIGINT       NOT NULL,
    read_seq        BIGINT       NOT NULL,
    unread          BIGINT       NOT NULL,
    joined_seq      BIGINT       DEFAULT 0 NOT NULL,
    CONSTRAINT ${prefix}members_pk PRIMARY KEY (conversation_id, user_id),
    CONSTRAINT ${prefix}members_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}members_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}members_user_idx ON ${prefix}members (user_id, conversation_id);

CREATE TABLE ${prefix}messages (
    id              VARCHAR(64)  NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL,
    seq             BIGINT       NOT NULL,
    sender_id       VARCHAR(255) NOT NULL,
    client_msg_id   VARCHAR(64)  NOT NULL,
    body            MEDIUMTEXT   NOT NULL,
    priority        VARCHAR(16)  NOT NULL,
    sent_at         DATETIME(6)  NOT NULL,
    attachments     MEDIUMTEXT   NOT NULL,
    CONSTRAINT ${prefix}messages_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}messages_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}messages_sender_fk FOREIGN KEY (sender_id) REFERENCES ${prefix}users (id),
    CONSTRAINT ${prefix}messages_seq_uq UNIQUE (conversation_id, seq),
    CONSTRAINT ${prefix}messages_client_msg_uq UNIQUE (sender_id, client_msg_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}refresh_tokens (
    token_hash        VARCHAR(64)  NOT NULL,
    family_id         VARCHAR(64)  NOT NULL,
    user_id           VARCHAR(255) NOT NULL,
    issued_at         DATETIME(6)  NOT NULL,
    expires_at        DATETIME(6)  NOT NULL,
    used              BOOLEAN      NOT NULL,
    used_at           DATETIME(6),
    revoked           BOOLEAN      NOT NULL,
    revoked_at        DATETIME(6),
    family_expires_at DATETIME(6)  NOT NULL,
    CONSTRAINT ${prefix}refresh_tokens_pk PRIMARY KEY (token_hash),
    CONSTRAINT ${prefix}refresh_tokens_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}refresh_tokens_family_idx ON ${prefix}refresh_tokens (family_id);
CREATE INDEX ${prefix}refresh_tokens_user_idx ON ${prefix}refresh_tokens (user_id);

CREATE TABLE ${prefix}audit_events (
    seq            BIGINT       NOT NULL,
    event_time     DATETIME(6)  NOT NULL,
    action         VARCHAR(64)  NOT NULL,
    outcome        VARCHAR(16)  NOT NULL,
    actor_id       VARCHAR(255),
    actor_roles    VARCHAR(64)  NOT NULL,
    client_address VARCHAR(128),
    client_id      VARCHAR(128),
    object_type    VARCHAR(64),
    object_id      VARCHAR(255),
    patient_id     VARCHAR(255),
    request_id     VARCHAR(128),
    reason         VARCHAR(64),
    prev_hash      CHAR(64)     NOT NULL,
    hash           CHAR(64)     NOT NULL,
    key_id         VARCHAR(64),
    event_count    INT          DEFAULT 1 NOT NULL,
    CONSTRAINT ${prefix}audit_events_pk PRIMARY KEY (seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}audit_events_time_idx ON ${prefix}audit_events (event_time);
CREATE INDEX ${prefix}audit_events_patient_idx ON ${prefix}audit_events (patient_id, seq);

CREATE TABLE ${prefix}audit_chain_head (
    id        INTEGER  NOT NULL,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL,
    CONSTRAINT ${prefix}audit_chain_head_pk PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO ${prefix}audit_chain_head (id, last_seq, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE ${prefix}attachments (
    id           VARCHAR(64)   NOT NULL,
    owner_id     VARCHAR(255)  NOT NULL,
    name         VARCHAR(1024) NOT NULL,
    content_type VARCHAR(64)   NOT NULL,
    size         BIGINT        NOT NULL,
    uploaded_at  DATETIME(6)   NOT NULL,
    content      LONGBLOB      NOT NULL,
    CONSTRAINT ${prefix}attachments_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}attachments_owner_fk FOREIGN KEY (owner_id) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}attachments_owner_idx ON ${prefix}attachments (owner_id);

CREATE TABLE ${prefix}attachment_links (
    attachment_id   VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    CONSTRAINT ${prefix}attachment_links_pk PRIMARY KEY (attachment_id, conversation_id),
    CONSTRAINT ${prefix}attachment_links_attachment_fk FOREIGN KEY (attachment_id)
        REFERENCES ${prefix}attachments (id),
    CONSTRAINT ${prefix}attachment_links_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}legal_holds (
    id         VARCHAR(64)  NOT NULL,
    target     VARCHAR(16)  NOT NULL,
    subject_id VARCHAR(255) NOT NULL,
    placed_by  VARCHAR(255) NOT NULL,
    placed_at  DATETIME(6)  NOT NULL,
    CONSTRAINT ${prefix}legal_holds_pk PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}attachment_quota_lock (
    id INT NOT NULL,
    CONSTRAINT ${prefix}attachment_quota_lock_pk PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO ${prefix}attachment_quota_lock (id) VALUES (1);

CREATE TABLE ${prefix}member_periods (
    conversation_id VARCHAR(64)  NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    period          INTEGER      NOT NULL,
    joined_at       DATETIME(6)  NOT NULL,
    joined_seq      BIGINT       NOT NULL,
    left_at         DATETIME(6),
    left_seq        BIGINT,
    CONSTRAINT ${prefix}member_periods_pk PRIMARY KEY (conversation_id, user_id, period),
    CONSTRAINT ${prefix}member_periods_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}member_periods_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id),
    CONSTRAINT ${prefix}member_periods_left_ck CHECK ((left_at IS NULL) = (left_seq IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}member_periods_user_idx ON ${prefix}member_periods (user_id, conversation_id);

CREATE TABLE ${prefix}message_recalls (
    conversation_id VARCHAR(64)  NOT NULL,
    seq             BIGINT       NOT NULL,
    message_id      VARCHAR(64)  NOT NULL,
    recalled_by     VARCHAR(255) NOT NULL,
    recalled_at     DATETIME(6)  NOT NULL,
    reason          MEDIUMTEXT   NOT NULL,
    CONSTRAINT ${prefix}message_recalls_pk PRIMARY KEY (conversation_id, seq),
    CONSTRAINT ${prefix}message_recalls_message_uq UNIQUE (message_id),
    CONSTRAINT ${prefix}message_recalls_message_fk FOREIGN KEY (message_id) REFERENCES ${prefix}messages (id),
    CONSTRAINT ${prefix}message_recalls_user_fk FOREIGN KEY (recalled_by) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}recalled_attachments (
    conversation_id VARCHAR(64) NOT NULL,
    attachment_id   VARCHAR(64) NOT NULL,
    message_id      VARCHAR(64) NOT NULL,
    CONSTRAINT ${prefix}recalled_attachments_pk PRIMARY KEY (conversation_id, attachment_id, message_id),
    CONSTRAINT ${prefix}recalled_attachments_recall_fk FOREIGN KEY (message_id)
        REFERENCES ${prefix}message_recalls (message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}break_glass_grants (
    id              VARCHAR(64)   NOT NULL,
    conversation_id VARCHAR(64)   NOT NULL,
    doctor_id       VARCHAR(255)  NOT NULL,
    reason          VARCHAR(8192) NOT NULL,
    granted_at      DATETIME(6)   NOT NULL,
    expires_at      DATETIME(6)   NOT NULL,
    CONSTRAINT ${prefix}break_glass_grants_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}break_glass_grants_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}break_glass_grants_doctor_fk FOREIGN KEY (doctor_id) REFERENCES ${prefix}users (id),
    CONSTRAINT ${prefix}break_glass_grants_expiry_ck CHECK (expires_at > granted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}break_glass_grants_holder_idx
    ON ${prefix}break_glass_grants (conversation_id, doctor_id, expires_at);
CREATE INDEX ${prefix}break_glass_grants_expiry_idx ON ${prefix}break_glass_grants (expires_at);

CREATE TABLE ${prefix}presence_nodes (
    node_id     VARCHAR(64) NOT NULL,
    lease_until DATETIME(6) NOT NULL,
    CONSTRAINT ${prefix}presence_nodes_pk PRIMARY KEY (node_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}presence_nodes_lease_idx ON ${prefix}presence_nodes (lease_until);

CREATE TABLE ${prefix}presence (
    node_id    VARCHAR(64)  NOT NULL,
    user_id    VARCHAR(255) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    changed_at DATETIME(6)  NOT NULL,
    CONSTRAINT ${prefix}presence_pk PRIMARY KEY (node_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}on_call (
    user_id  VARCHAR(255) NOT NULL,
    position INTEGER      NOT NULL,
    CONSTRAINT ${prefix}on_call_pk PRIMARY KEY (user_id),
    CONSTRAINT ${prefix}on_call_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${prefix}escalations (
    conversation_id VARCHAR(64)  NOT NULL,
    seq             BIGINT       NOT NULL,
    sender_id       VARCHAR(255) NOT NULL,
    due_at          DATETIME(6)  NOT NULL,
    claimed_by      VARCHAR(64),
    lease_until     DATETIME(6),
    outcome         VARCHAR(16),
    done_at         DATETIME(6),
    CONSTRAINT ${prefix}escalations_pk PRIMARY KEY (conversation_id, seq),
    CONSTRAINT ${prefix}escalations_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}escalations_done_ck CHECK ((outcome IS NULL) = (done_at IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}escalations_due_idx ON ${prefix}escalations (done_at, due_at);

CREATE TABLE ${prefix}offline_notifications (
    user_id       VARCHAR(255) NOT NULL,
    due_at        DATETIME(6),
    urgent        BIGINT       NOT NULL,
    arrivals      BIGINT       NOT NULL,
    notified_at   DATETIME(6),
    claim_token   VARCHAR(36),
    claimed_until DATETIME(6),
    CONSTRAINT ${prefix}offline_notifications_pk PRIMARY KEY (user_id),
    CONSTRAINT ${prefix}offline_notifications_counts CHECK (urgent >= 0 AND arrivals >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ${prefix}offline_notifications_due_idx ON ${prefix}offline_notifications (due_at);
