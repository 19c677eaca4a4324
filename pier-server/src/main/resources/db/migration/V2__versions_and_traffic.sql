-- Versions and traffic splitting: every release can run as a version; the public traffic of an
-- app is split over versions by whole percentages.
ALTER TABLE apps ADD COLUMN split_by VARCHAR(10) DEFAULT 'random' NOT NULL;

ALTER TABLE releases ADD COLUMN status VARCHAR(10) DEFAULT 'ok' NOT NULL;
ALTER TABLE releases ADD COLUMN readiness_path VARCHAR(500);

CREATE TABLE traffic (
  app     VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  version INT NOT NULL,
  percent INT NOT NULL,
  PRIMARY KEY (app, version)
);

CREATE TABLE running_versions (
  app     VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  version INT NOT NULL,
  PRIMARY KEY (app, version)
);

-- Existing apps: the current release runs and takes all traffic.
INSERT INTO traffic (app, version, percent)
  SELECT name, current_release, 100 FROM apps WHERE current_release IS NOT NULL AND current_release > 0;
INSERT INTO running_versions (app, version)
  SELECT name, current_release FROM apps WHERE current_release IS NOT NULL AND current_release > 0;
