-- CareChat schema, version 13: immediate revocation and the refresh family's absolute lifetime.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

-- Access tokens issued before this instant are refused (logout, disabled account, changed roles).
-- NULL: the user's tokens were never revoked.
ALTER TABLE ${prefix}users ADD COLUMN tokens_valid_after TIMESTAMP WITH TIME ZONE;

-- No token of a family lives past this instant, however often it is rotated. Families that exist
-- already end when their current token expires.
ALTER TABLE ${prefix}refresh_tokens ADD COLUMN family_expires_at TIMESTAMP WITH TIME ZONE;
UPDATE ${prefix}refresh_tokens SET family_expires_at = expires_at;
ALTER TABLE ${prefix}refresh_tokens ALTER COLUMN family_expires_at SET NOT NULL;
