-- Scheduled jobs (#13): Heroku-Scheduler-style command jobs and cron.yaml URL jobs, with their runs.
CREATE TABLE cron_jobs (
  id                 INT AUTO_INCREMENT PRIMARY KEY,
  app                VARCHAR(30) NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  kind               VARCHAR(10) NOT NULL,
  schedule           VARCHAR(500) NOT NULL,
  syntax             VARCHAR(12) NOT NULL,
  timezone           VARCHAR(100) NOT NULL,
  command            VARCHAR(4000),
  url                VARCHAR(2000),
  description        VARCHAR(500),
  target             VARCHAR(100),
  retry_limit        INT NOT NULL DEFAULT 0,
  retry_age_seconds  BIGINT,
  min_backoff_ms     BIGINT NOT NULL DEFAULT 5000,
  max_backoff_ms     BIGINT NOT NULL DEFAULT 3600000,
  max_doublings      INT NOT NULL DEFAULT 5,
  allow_overlap      BOOLEAN NOT NULL,
  catch_up           BOOLEAN NOT NULL,
  time_limit_seconds BIGINT NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  next_run_at        TIMESTAMP WITH TIME ZONE
);

CREATE TABLE cron_runs (
  id          INT AUTO_INCREMENT PRIMARY KEY,
  job_id      INT NOT NULL REFERENCES cron_jobs(id) ON DELETE CASCADE,
  app         VARCHAR(30) NOT NULL,
  trigger_by  VARCHAR(20) NOT NULL,
  status      VARCHAR(20) NOT NULL,
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE,
  exit_code   INT,
  http_status INT,
  attempts    INT NOT NULL DEFAULT 0,
  instance    VARCHAR(60),
  message     VARCHAR(2000)
);

CREATE INDEX cron_runs_job ON cron_runs (job_id, id);
CREATE INDEX cron_runs_app ON cron_runs (app, id)
