-- Issue 16: job.version and incident.version were bumped by every change and compared by none. Each change is a
-- statement guarded by the state it expects (a running job's also by its lease), which is what a version would have
-- guarded. host and app_user keep theirs: JPA compares those (@Version).
ALTER TABLE job DROP COLUMN version;
ALTER TABLE incident DROP COLUMN version;
