-- An app's own buildpacks (pier buildpacks:set/add), in the order they run; none: detect one.
CREATE TABLE app_buildpacks (
  app      VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  position INT NOT NULL,
  source   VARCHAR(2000) NOT NULL,
  PRIMARY KEY (app, position)
);
-- What built each build: the buildpack(s) and the language they detected.
ALTER TABLE builds ADD COLUMN buildpack VARCHAR(8000);
ALTER TABLE builds ADD COLUMN language VARCHAR(1000);
