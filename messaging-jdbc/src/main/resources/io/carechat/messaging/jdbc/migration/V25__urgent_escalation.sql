-- CareChat schema, version 25: urgent escalation to the on-call roster.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

-- The doctors on call, in the order an admin set them (position from 0).
CREATE TABLE ${prefix}on_call (
    user_id  VARCHAR(64) NOT NULL,
    position INTEGER     NOT NULL,
    CONSTRAINT ${prefix}on_call_pk PRIMARY KEY (user_id),
    CONSTRAINT ${prefix}on_call_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
);

-- One row per urgent message of a patient, inserted in the transaction that appends the message.
-- A node's scan claims a due row with a conditional UPDATE (claimed_by, lease_until): the node
-- whose UPDATE changed the row handles it; a claim whose lease ended may be taken over. outcome
-- and done_at are set, with the on-call doctors' memberships, in one transaction by the claimant.
CREATE TABLE ${prefix}escalations (
    conversation_id VARCHAR(64) NOT NULL,
    seq             BIGINT      NOT NULL,
    sender_id       VARCHAR(64) NOT NULL,
    due_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_by      VARCHAR(64),
    lease_until     TIMESTAMP WITH TIME ZONE,
    outcome         VARCHAR(16),
    done_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ${prefix}escalations_pk PRIMARY KEY (conversation_id, seq),
    CONSTRAINT ${prefix}escalations_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}escalations_done_ck CHECK ((outcome IS NULL) = (done_at IS NULL))
);

-- The scan: pending rows by due time. Ended rows keep their outcome for the record and the marks.
CREATE INDEX ${prefix}escalations_due_idx ON ${prefix}escalations (done_at, due_at);
