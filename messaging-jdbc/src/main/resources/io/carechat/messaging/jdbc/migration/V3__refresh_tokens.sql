-- CareChat schema, version 3: refresh tokens, kept only as SHA-256 hashes.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}refresh_tokens (
    -- Lower-case hex SHA-256 of the token; the token itself is never stored.
    token_hash  VARCHAR(64) NOT NULL,
    -- Shared by every token rotated from the same login.
    family_id   VARCHAR(64) NOT NULL,
    user_id     VARCHAR(64) NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Rotation sets used, once: UPDATE ... WHERE used = false AND revoked = false, one row wins.
    used        BOOLEAN     NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    revoked     BOOLEAN     NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ${prefix}refresh_tokens_pk PRIMARY KEY (token_hash),
    CONSTRAINT ${prefix}refresh_tokens_user_fk FOREIGN KEY (user_id) REFERENCES ${prefix}users (id)
);

-- Reuse of a rotated token revokes its family.
CREATE INDEX ${prefix}refresh_tokens_family_idx ON ${prefix}refresh_tokens (family_id);
-- Logout, disabling a user and changing roles revoke all of a user's tokens.
CREATE INDEX ${prefix}refresh_tokens_user_idx ON ${prefix}refresh_tokens (user_id);
