-- Automatic certificates over ACME (#12 pier certs:auto): the apps that turned them on, and per
-- custom domain the last order's outcome: the certificate (PEM chain and its key, like
-- app_certificates: the key lives only in the owner-only database directory) and, after a
-- failure, its reason and when to try again.
CREATE TABLE IF NOT EXISTS acme_apps (
  app        VARCHAR(30) NOT NULL PRIMARY KEY REFERENCES apps(name) ON DELETE CASCADE,
  enabled_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE IF NOT EXISTS acme_certificates (
  hostname     VARCHAR(253) NOT NULL PRIMARY KEY,
  app          VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  cert_pem     CLOB,
  key_pem      CLOB,
  issuer       VARCHAR(1000),
  not_before   TIMESTAMP WITH TIME ZONE,
  not_after    TIMESTAMP WITH TIME ZONE,
  failures     INT NOT NULL DEFAULT 0,
  reason       VARCHAR(2000),
  next_attempt TIMESTAMP WITH TIME ZONE,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS acme_certificates_app ON acme_certificates(app);
