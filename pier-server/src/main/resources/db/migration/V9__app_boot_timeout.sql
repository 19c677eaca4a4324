-- How long an app's web instances may take to listen on $PORT (or pass the readiness check)
-- before they count as failed to boot; null: the operator's default.
ALTER TABLE apps ADD COLUMN boot_timeout_seconds INT;
