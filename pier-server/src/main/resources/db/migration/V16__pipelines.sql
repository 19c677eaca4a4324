-- IF NOT EXISTS: H2 commits each DDL statement, so a kill -9 mid-migration leaves some tables
-- made and the version unrecorded; the next start runs the migration again.
-- Pipelines (#10, as Heroku's): ordered stages, each with its apps; an app is in at most one
-- pipeline. Deleting an app takes it out of its pipeline; renaming it follows (ON UPDATE CASCADE).
CREATE TABLE IF NOT EXISTS pipelines (
  name       VARCHAR(30) PRIMARY KEY,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS pipeline_stages (
  pipeline VARCHAR(30) NOT NULL REFERENCES pipelines(name) ON DELETE CASCADE,
  position INT NOT NULL,
  name     VARCHAR(30) NOT NULL,
  PRIMARY KEY (pipeline, position),
  UNIQUE (pipeline, name)
);

CREATE TABLE IF NOT EXISTS pipeline_apps (
  app      VARCHAR(30) PRIMARY KEY REFERENCES apps(name) ON DELETE CASCADE ON UPDATE CASCADE,
  pipeline VARCHAR(30) NOT NULL,
  position INT NOT NULL,
  FOREIGN KEY (pipeline, position) REFERENCES pipeline_stages(pipeline, position) ON DELETE CASCADE
);
