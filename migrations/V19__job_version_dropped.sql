-- Issue 16: job.version was bumped by every transition and compared by none. Each transition is now a statement
-- guarded by the status it expects (and a running job's by its lease), which is what a version would have guarded.
ALTER TABLE job DROP COLUMN version;
