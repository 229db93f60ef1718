-- CareChat schema, version 27: user ids up to 255 characters, so an external identity provider's
-- subject (such as "auth0|5f...", an e-mail-shaped or a URL-like one) is the CareChat user id as it
-- is. Every column holding a user id widens from 64 to 255 characters; the key of a direct
-- conversation ("smaller-id:larger-id", with ':' and '\' in ids escaped by '\', so that ids with
-- colons never make two pairs share a key) to 1021, and the audit trail's object id (a user's id
-- for account events) to 255. Widening a VARCHAR keeps every row, key and index as it is.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

ALTER TABLE ${prefix}users ALTER COLUMN id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}role_requests ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}role_requests ALTER COLUMN decided_by SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}refresh_tokens ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}conversations ALTER COLUMN direct_key SET DATA TYPE VARCHAR(1021);
ALTER TABLE ${prefix}members ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}messages ALTER COLUMN sender_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}audit_events ALTER COLUMN actor_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}audit_events ALTER COLUMN patient_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}audit_events ALTER COLUMN object_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}attachments ALTER COLUMN owner_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}legal_holds ALTER COLUMN subject_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}legal_holds ALTER COLUMN placed_by SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}member_periods ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}message_recalls ALTER COLUMN recalled_by SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}break_glass_grants ALTER COLUMN doctor_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}presence ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}offline_notifications ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}on_call ALTER COLUMN user_id SET DATA TYPE VARCHAR(255);
ALTER TABLE ${prefix}escalations ALTER COLUMN sender_id SET DATA TYPE VARCHAR(255);
