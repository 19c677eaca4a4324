-- The app whose release a snapshot (trigger release) was taken for: release numbers are per app,
-- and a shared add-on's snapshots are only ever taken for, and restored by, its owner.
ALTER TABLE addon_backups ADD COLUMN IF NOT EXISTS app VARCHAR(30);
