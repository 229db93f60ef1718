-- CareChat schema, version 17: how many identical occurrences an audit event stands for. Refusals
-- repeated within a window (the same bad token from one address, a throttled login tried again)
-- are kept as one event with their count; every other event, and every event written before, is 1.
-- The count is part of an event's hash only when it is more than 1, so existing chains still verify.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

ALTER TABLE ${prefix}audit_events ADD COLUMN event_count INT DEFAULT 1 NOT NULL;
