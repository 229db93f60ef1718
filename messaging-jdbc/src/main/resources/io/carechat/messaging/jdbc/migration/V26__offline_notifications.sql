-- CareChat schema, version 26: the schedule of offline notifications. One row per user who was
-- ever due a notice: whether one is pending (due_at) and how many urgent messages it covers, how
-- many times arrivals were added (arrivals, so a claim can tell whether more came meanwhile), when
-- the last notice was sent (for the quiet period), and the claim of the node deciding it now.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}offline_notifications (
    user_id       VARCHAR(64) NOT NULL,
    due_at        TIMESTAMP WITH TIME ZONE,
    urgent        BIGINT NOT NULL,
    arrivals      BIGINT NOT NULL,
    notified_at   TIMESTAMP WITH TIME ZONE,
    claim_token   VARCHAR(36),
    claimed_until TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ${prefix}offline_notifications_pk PRIMARY KEY (user_id),
    CONSTRAINT ${prefix}offline_notifications_counts CHECK (urgent >= 0 AND arrivals >= 0)
);

-- Due notices are found by their due time.
CREATE INDEX ${prefix}offline_notifications_due_idx ON ${prefix}offline_notifications (due_at);
