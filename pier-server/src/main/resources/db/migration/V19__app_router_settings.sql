-- Router limits per app (#12): an app's own value of a router setting (request-timeout, max-body,
-- idle-timeout, tunnel-idle-timeout), in milliseconds or bytes. No row: the router's default.
CREATE TABLE IF NOT EXISTS app_router_settings (
  app           VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  setting       VARCHAR(40) NOT NULL,
  setting_value BIGINT NOT NULL,
  PRIMARY KEY (app, setting)
);
