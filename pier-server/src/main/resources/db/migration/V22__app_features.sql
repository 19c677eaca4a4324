-- Per-app features (#12, pier features:enable): one row per app and feature it switched on
-- (https-only, hsts). No row: off.
CREATE TABLE IF NOT EXISTS app_features (
  app     VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  feature VARCHAR(40) NOT NULL,
  PRIMARY KEY (app, feature)
);
