-- Custom domains (#12): a host name (www.example.com, or *.example.com for one label) routed to
-- one app besides its built-in APP.DOMAIN. Lowercase, no trailing dot.
CREATE TABLE IF NOT EXISTS domains (
  hostname   VARCHAR(253) NOT NULL PRIMARY KEY,
  app        VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS domains_app ON domains(app);
