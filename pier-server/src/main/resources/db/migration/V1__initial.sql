CREATE TABLE apps (
  name            VARCHAR(30) PRIMARY KEY,
  uid             INT NOT NULL UNIQUE,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  current_release INT
);

CREATE SEQUENCE app_uid START WITH 61000;

CREATE TABLE releases (
  app         VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  version     INT NOT NULL,
  slug        VARCHAR(1000),
  description VARCHAR(1000) NOT NULL,
  created_by  VARCHAR(100) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  env         CLOB NOT NULL,
  build_env   CLOB NOT NULL,
  processes   CLOB NOT NULL,
  PRIMARY KEY (app, version)
);

CREATE TABLE config_vars (
  app   VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  name  VARCHAR(256) NOT NULL,
  var_value CLOB NOT NULL,
  PRIMARY KEY (app, name)
);

CREATE TABLE formation (
  app      VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  process_type VARCHAR(30) NOT NULL,
  quantity INT NOT NULL,
  PRIMARY KEY (app, process_type)
);
