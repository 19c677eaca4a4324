-- Log drains: where each app's log stream is forwarded.
CREATE TABLE drains (
  id         INT AUTO_INCREMENT PRIMARY KEY,
  app        VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  url        VARCHAR(2000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  UNIQUE (app, url)
);
