-- CareChat schema, version 12: legal holds, which suspend retention.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.
-- No foreign key on subject_id: a hold on a conversation or a user must outlive neither.

CREATE TABLE ${prefix}legal_holds (
    id         VARCHAR(64)  NOT NULL,
    target     VARCHAR(16)  NOT NULL,
    subject_id VARCHAR(64)  NOT NULL,
    placed_by  VARCHAR(64)  NOT NULL,
    placed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}legal_holds_pk PRIMARY KEY (id)
);
