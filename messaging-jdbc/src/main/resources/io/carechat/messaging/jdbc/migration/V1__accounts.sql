-- CareChat schema, version 1: user accounts and role requests.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}users (
    id             VARCHAR(64)  NOT NULL,
    username       VARCHAR(255) NOT NULL,
    username_lower VARCHAR(255) NOT NULL,
    email          VARCHAR(320) NOT NULL,
    email_lower    VARCHAR(320) NOT NULL,
    display_name   VARCHAR(255) NOT NULL,
    roles          VARCHAR(64)  NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    password_hash  VARCHAR(1024) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}users_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}users_username_lower_uq UNIQUE (username_lower),
    CONSTRAINT ${prefix}users_email_lower_uq UNIQUE (email_lower)
);

-- The contact list: enabled users by display name.
CREATE INDEX ${prefix}users_display_name_idx ON ${prefix}users (display_name, username);

CREATE TABLE ${prefix}role_requests (
    id          VARCHAR(64)   NOT NULL,
    user_id     VARCHAR(64)   NOT NULL,
    role        VARCHAR(16)   NOT NULL,
    note        VARCHAR(4000) NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at  TIMESTAMP WITH TIME ZONE,
    decided_by  VARCHAR(64),
    -- "user_id:role" while pending, NULL once decided: one pending request per user and role.
    pending_key VARCHAR(100),
    CONSTRAINT ${prefix}role_requests_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}role_requests_pending_uq UNIQUE (pending_key),
    CONSTRAINT ${prefix}role_requests_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
);

-- The admins' queue: pending requests, oldest first.
CREATE INDEX ${prefix}role_requests_status_idx ON ${prefix}role_requests (status, created_at);
