-- CareChat schema, version 2: conversations, their members, and messages.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}conversations (
    id              VARCHAR(64)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    -- "smaller-id:larger-id" for a direct conversation, NULL for a group: one direct per pair.
    direct_key      VARCHAR(130),
    -- The seq of the newest message; appends take this row's lock to assign the next one.
    last_seq        BIGINT       NOT NULL,
    last_message_at TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}conversations_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}conversations_direct_key_uq UNIQUE (direct_key)
);

CREATE TABLE ${prefix}members (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         VARCHAR(64) NOT NULL,
    join_order      INTEGER     NOT NULL,
    delivered_seq   BIGINT      NOT NULL,
    read_seq        BIGINT      NOT NULL,
    unread          BIGINT      NOT NULL,
    CONSTRAINT ${prefix}members_pk PRIMARY KEY (conversation_id, user_id),
    CONSTRAINT ${prefix}members_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}members_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
);

-- A user's conversation list and unread counts.
CREATE INDEX ${prefix}members_user_idx ON ${prefix}members (user_id, conversation_id);

CREATE TABLE ${prefix}messages (
    id              VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    seq             BIGINT      NOT NULL,
    sender_id       VARCHAR(64) NOT NULL,
    client_msg_id   VARCHAR(64) NOT NULL,
    body            TEXT        NOT NULL,
    priority        VARCHAR(16) NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    -- JSON array of {id, name, contentType, size}.
    attachments     TEXT        NOT NULL,
    CONSTRAINT ${prefix}messages_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}messages_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}messages_sender_fk FOREIGN KEY (sender_id) REFERENCES ${prefix}users (id),
    -- History, backlog and unread counting read by (conversation_id, seq).
    CONSTRAINT ${prefix}messages_seq_uq UNIQUE (conversation_id, seq),
    -- Idempotency: a sender's clientMsgId is stored once.
    CONSTRAINT ${prefix}messages_client_msg_uq UNIQUE (sender_id, client_msg_id)
);
