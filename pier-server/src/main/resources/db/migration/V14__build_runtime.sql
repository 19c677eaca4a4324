-- The language runtime a build used (#10), e.g. "Node.js 22.12.0"; null for older builds and
-- buildpacks that name none. Shown by `pier releases:info` and `pier builds:info`.
ALTER TABLE builds ADD COLUMN IF NOT EXISTS runtime VARCHAR(200);
