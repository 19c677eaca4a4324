-- An app-level readiness check path; when set it wins over app.yaml's readiness_check.
ALTER TABLE apps ADD COLUMN readiness_path VARCHAR(500);
