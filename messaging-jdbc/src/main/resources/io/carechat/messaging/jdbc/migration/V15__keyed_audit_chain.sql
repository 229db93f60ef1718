-- CareChat schema, version 15: the audit chain is keyed. Each event records the id of the key whose
-- HMAC key made its hash (the key itself never reaches the database); events written before have
-- no key id and keep their plain SHA-256, verified as the chain's unkeyed first segment.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

ALTER TABLE ${prefix}audit_events ADD COLUMN key_id VARCHAR(64);
