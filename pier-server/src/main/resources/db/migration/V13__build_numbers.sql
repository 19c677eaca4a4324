-- Per-app build numbers (#10): builds keep their global id; "number" counts an app's builds 1, 2, 3...
-- Existing builds are numbered per app in id order.
ALTER TABLE builds ADD COLUMN number INT;
UPDATE builds b SET number = (SELECT COUNT(*) FROM builds o WHERE o.app = b.app AND o.id <= b.id);
ALTER TABLE builds ALTER COLUMN number SET NOT NULL;
CREATE UNIQUE INDEX builds_app_number ON builds(app, number);
