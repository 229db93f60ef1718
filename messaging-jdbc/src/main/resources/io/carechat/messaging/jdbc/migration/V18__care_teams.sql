-- CareChat schema, version 18: care teams (group conversations whose members change).
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

-- A group's title; NULL for a direct conversation.
ALTER TABLE ${prefix}conversations ADD COLUMN title VARCHAR(100);

-- The conversation's last seq when the member joined: they see the messages after it only.
-- Founding members (every member of a conversation that exists already) joined at 0.
ALTER TABLE ${prefix}members ADD COLUMN joined_seq BIGINT DEFAULT 0 NOT NULL;

-- Who was a member from when to when, kept when a member leaves, so the audit trail and the
-- patient's access log can say who could read what, and when. A row per stretch of membership:
-- period counts a user's stretches in one conversation from 1; left_at and left_seq are NULL while
-- the stretch goes on. Members are in members (current) and here (every stretch, current included).
CREATE TABLE ${prefix}member_periods (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         VARCHAR(64) NOT NULL,
    period          INTEGER     NOT NULL,
    joined_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    joined_seq      BIGINT      NOT NULL,
    left_at         TIMESTAMP WITH TIME ZONE,
    left_seq        BIGINT,
    CONSTRAINT ${prefix}member_periods_pk PRIMARY KEY (conversation_id, user_id, period),
    CONSTRAINT ${prefix}member_periods_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}member_periods_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id),
    CONSTRAINT ${prefix}member_periods_left_ck CHECK ((left_at IS NULL) = (left_seq IS NULL))
);

-- A user's memberships, for an access log that starts from the user.
CREATE INDEX ${prefix}member_periods_user_idx ON ${prefix}member_periods (user_id, conversation_id);

INSERT INTO ${prefix}member_periods (conversation_id, user_id, period, joined_at, joined_seq, left_at, left_seq)
    SELECT m.conversation_id, m.user_id, 1, c.created_at, 0, NULL, NULL
    FROM ${prefix}members m JOIN ${prefix}conversations c ON c.id = m.conversation_id;
