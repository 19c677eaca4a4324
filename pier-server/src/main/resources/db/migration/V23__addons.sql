-- Add-ons (#11): data store servers (postgres, redis, memcached, rabbitmq) Pier runs, each with its
-- own port, uid and folder. state: creating (a create is under way or was cut off: undone at the
-- next start), ready, destroying (finished at the next start). Credentials are kept here only.
CREATE TABLE IF NOT EXISTS addons (
  name        VARCHAR(40) NOT NULL PRIMARY KEY,
  kind        VARCHAR(20) NOT NULL,
  plan        VARCHAR(20) NOT NULL,
  port        INT NOT NULL UNIQUE,
  uid         INT NOT NULL,
  state       VARCHAR(12) NOT NULL,
  owner_app   VARCHAR(30) NOT NULL,
  host        VARCHAR(100),
  user_name   VARCHAR(100),
  password    VARCHAR(200),
  path        VARCHAR(100),
  created_at  TIMESTAMP NOT NULL
);
-- An app using an add-on: its config vars are named from var_prefix (DATABASE for the first
-- postgres of an app, PIER_POSTGRES_AMBER for a second one).
CREATE TABLE IF NOT EXISTS addon_attachments (
  addon       VARCHAR(40) NOT NULL REFERENCES addons(name) ON DELETE CASCADE,
  app         VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  alias       VARCHAR(40) NOT NULL,
  created_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (addon, app)
);
CREATE INDEX IF NOT EXISTS addon_attachments_app ON addon_attachments(app);
