-- The app whose release a snapshot (trigger release) was taken for: release numbers are per app,
-- and a shared add-on's snapshots are only ever taken for, and restored by, its owner.
ALTER TABLE addon_backups ADD COLUMN IF NOT EXISTS app VARCHAR(30);
-- An app's add-on aliases (the prefix of its config vars) are unique: two add-ons of one kind
-- attached at once can never both be DATABASE.
CREATE UNIQUE INDEX IF NOT EXISTS addon_attachments_app_alias ON addon_attachments(app, alias);
