-- CareChat schema, version 11: uploaded attachments (content sealed with AES-256-GCM by CareChat)
-- and the conversations whose messages refer to them.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}attachments (
    id           VARCHAR(64)  NOT NULL,
    owner_id     VARCHAR(64)  NOT NULL,
    -- Sanitised display text only; never a path.
    name         VARCHAR(512) NOT NULL,
    content_type VARCHAR(64)  NOT NULL,
    size         BIGINT       NOT NULL,
    uploaded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    content      BYTEA        NOT NULL,
    CONSTRAINT ${prefix}attachments_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}attachments_owner_fk FOREIGN KEY (owner_id) REFERENCES ${prefix}users (id)
);

-- The quota sums a user's uploads.
CREATE INDEX ${prefix}attachments_owner_idx ON ${prefix}attachments (owner_id);

CREATE TABLE ${prefix}attachment_links (
    attachment_id   VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(64) NOT NULL,
    CONSTRAINT ${prefix}attachment_links_pk PRIMARY KEY (attachment_id, conversation_id),
    CONSTRAINT ${prefix}attachment_links_attachment_fk FOREIGN KEY (attachment_id)
        REFERENCES ${prefix}attachments (id),
    CONSTRAINT ${prefix}attachment_links_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id)
);
