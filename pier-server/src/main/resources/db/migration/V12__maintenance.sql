-- Maintenance mode (#10): while true the router answers every request for the app with 503 and its maintenance page.
ALTER TABLE apps ADD COLUMN maintenance BOOLEAN DEFAULT FALSE NOT NULL;
