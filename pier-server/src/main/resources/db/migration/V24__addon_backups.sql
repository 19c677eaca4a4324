-- Backups of add-ons (#11): one row per backup file DATA/backups/ADDON/bNNN.dump, numbered per
-- add-on. state: capturing (a capture under way or cut off: removed at the next start), done.
-- trigger: manual, scheduled, or release (a snapshot just before release_version's release phase).
CREATE TABLE IF NOT EXISTS addon_backups (
  addon           VARCHAR(40) NOT NULL REFERENCES addons(name) ON DELETE CASCADE,
  number          INT NOT NULL,
  state           VARCHAR(12) NOT NULL,
  trigger_kind    VARCHAR(12) NOT NULL,
  release_version INT,
  size_bytes      BIGINT NOT NULL,
  created_at      TIMESTAMP NOT NULL,
  PRIMARY KEY (addon, number)
);
-- The daily backup time (HH:MM, UTC; null: none) and how many backups an add-on keeps.
ALTER TABLE addons ADD COLUMN IF NOT EXISTS backup_at VARCHAR(5);
ALTER TABLE addons ADD COLUMN IF NOT EXISTS backup_keep INT DEFAULT 5 NOT NULL;
