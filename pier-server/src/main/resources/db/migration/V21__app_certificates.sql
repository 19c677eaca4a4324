-- HTTPS certificates apps brought (#12, pier certs:add): the PEM chain (leaf first) and its
-- private key. The key lives only here, in the owner-only database directory (DATA/db, 0700).
CREATE TABLE IF NOT EXISTS app_certificates (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  app        VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  names      VARCHAR(4000) NOT NULL,
  issuer     VARCHAR(1000) NOT NULL,
  not_after  TIMESTAMP WITH TIME ZONE NOT NULL,
  cert_pem   CLOB NOT NULL,
  key_pem    CLOB NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
