-- CareChat schema, version 14: attachment file names and role-request notes are stored sealed
-- (AES-256-GCM by CareChat, as "/sealed/" followed by Base64), in attachments.name, inside the
-- messages.attachments JSON, and in role_requests.note. The sealed form is longer than the text.
-- Rows written before stay in clear and are read as they are until the key rotation job seals
-- them; no key is needed here. Portable SQL for H2 and PostgreSQL. ${prefix} is the optional
-- table prefix.

ALTER TABLE ${prefix}attachments ALTER COLUMN name SET DATA TYPE VARCHAR(1024);

ALTER TABLE ${prefix}role_requests ALTER COLUMN note SET DATA TYPE VARCHAR(8192);

-- A note in clear that happens to start like a sealed one gets a space before it, so it is still
-- read as clear text. (File names never hold a "/", so none can start like that.)
UPDATE ${prefix}role_requests SET note = CONCAT(' ', note) WHERE note LIKE '/sealed/%';
