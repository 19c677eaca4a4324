-- Builds with their output, as the git client or `pier deploy` saw it.
CREATE TABLE builds (
  id          INT AUTO_INCREMENT PRIMARY KEY,
  app         VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  description VARCHAR(1000) NOT NULL,
  created_by  VARCHAR(100) NOT NULL,
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE,
  status      VARCHAR(10) NOT NULL,
  release     INT,
  output      CLOB
);
