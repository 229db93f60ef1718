-- CareChat schema, version 19: recalls of messages by their senders. A recalled message keeps its
-- row in messages, unchanged: that is the legal record, and retention and legal holds apply to it
-- as to any other. A row in message_recalls makes every read of the message return a tombstone
-- (no body, no attachments). The reason is sealed by CareChat ("/sealed/" followed by Base64),
-- bound to the conversation and the message. recalled_attachments lists the attachments that
-- recalled messages carried, so that their downloads through the conversation are refused.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}message_recalls (
    conversation_id VARCHAR(64) NOT NULL,
    seq             BIGINT      NOT NULL,
    message_id      VARCHAR(64) NOT NULL,
    recalled_by     VARCHAR(64) NOT NULL,
    recalled_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    reason          TEXT        NOT NULL,
    CONSTRAINT ${prefix}message_recalls_pk PRIMARY KEY (conversation_id, seq),
    CONSTRAINT ${prefix}message_recalls_message_uq UNIQUE (message_id),
    CONSTRAINT ${prefix}message_recalls_message_fk FOREIGN KEY (message_id) REFERENCES ${prefix}messages (id),
    CONSTRAINT ${prefix}message_recalls_user_fk FOREIGN KEY (recalled_by) REFERENCES ${prefix}users (id)
);

CREATE TABLE ${prefix}recalled_attachments (
    conversation_id VARCHAR(64) NOT NULL,
    attachment_id   VARCHAR(64) NOT NULL,
    message_id      VARCHAR(64) NOT NULL,
    CONSTRAINT ${prefix}recalled_attachments_pk PRIMARY KEY (conversation_id, attachment_id, message_id),
    CONSTRAINT ${prefix}recalled_attachments_recall_fk FOREIGN KEY (message_id)
        REFERENCES ${prefix}message_recalls (message_id)
);
