-- Branch previews (#10): a push to a branch other than the deploy branch runs as its own version of
-- the app at BRANCH-LABEL.APP.DOMAIN, never in the app's traffic split.
-- IF NOT EXISTS throughout: H2 commits each statement, so a kill -9 midway leaves some tables made.
CREATE TABLE IF NOT EXISTS previews (
  app             VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  branch          VARCHAR(255) NOT NULL,
  label           VARCHAR(63) NOT NULL,
  version         INT NOT NULL,
  source_commit   VARCHAR(64),
  overrides       CLOB NOT NULL,
  asleep          BOOLEAN DEFAULT FALSE NOT NULL,
  last_request_at TIMESTAMP WITH TIME ZONE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (app, branch)
);
CREATE UNIQUE INDEX IF NOT EXISTS previews_label ON previews (app, label);
-- Every release built for a preview (kept after the preview is gone: such a release is never a
-- rollback target and never runs the app's formation).
CREATE TABLE IF NOT EXISTS preview_releases (
  app     VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  version INT NOT NULL,
  branch  VARCHAR(255) NOT NULL,
  PRIMARY KEY (app, version)
);
-- How long an app's previews may go without a request before they are stopped (default 7 days).
CREATE TABLE IF NOT EXISTS preview_settings (
  app          VARCHAR(30) PRIMARY KEY REFERENCES apps(name) ON DELETE CASCADE,
  idle_seconds BIGINT NOT NULL
);
