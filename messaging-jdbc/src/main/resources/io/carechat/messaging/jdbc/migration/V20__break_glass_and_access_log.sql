-- CareChat schema, version 20: break-glass grants, and the index behind a patient's access log.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.
-- CareChat only ever inserts grants; whether one holds is judged from expires_at at each check,
-- so access ends by itself on every node. The reason is stored sealed (AES-256-GCM by CareChat,
-- as "/sealed/" followed by Base64), longer than the at most 1,000 characters written.

CREATE TABLE ${prefix}break_glass_grants (
    id              VARCHAR(64)   NOT NULL,
    conversation_id VARCHAR(64)   NOT NULL,
    doctor_id       VARCHAR(64)   NOT NULL,
    reason          VARCHAR(8192) NOT NULL,
    granted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}break_glass_grants_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}break_glass_grants_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversations (id),
    CONSTRAINT ${prefix}break_glass_grants_doctor_fk FOREIGN KEY (doctor_id) REFERENCES ${prefix}users (id),
    CONSTRAINT ${prefix}break_glass_grants_expiry_ck CHECK (expires_at > granted_at)
);

-- Every access check and a send by a non-member: this doctor's grants on this conversation.
CREATE INDEX ${prefix}break_glass_grants_holder_idx
    ON ${prefix}break_glass_grants (conversation_id, doctor_id, expires_at);

-- A node loading the grants still active, to address live events to their holders.
CREATE INDEX ${prefix}break_glass_grants_expiry_idx ON ${prefix}break_glass_grants (expires_at);

-- A patient's access log: the events naming the patient, newest first, paged by seq.
CREATE INDEX ${prefix}audit_events_patient_idx ON ${prefix}audit_events (patient_id, seq);
