-- The git commit a release's slug was built from, so that the repository's deploy branch and the
-- releases can be checked against each other after a crash (pier doctor).
ALTER TABLE releases ADD COLUMN source_commit VARCHAR(40);
