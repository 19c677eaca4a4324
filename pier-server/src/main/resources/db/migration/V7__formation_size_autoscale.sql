-- Desired state per process type beyond the count: the instance size (null: the operator's
-- default limits) and the autoscaling spec as JSON (null: a fixed count).
ALTER TABLE formation ADD COLUMN size VARCHAR(30);
ALTER TABLE formation ADD COLUMN autoscale VARCHAR(2000);
