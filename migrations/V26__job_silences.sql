-- Issue 18 item 1: while an approved job runs on a host, its own incident there is silenced until the job's VERIFY.
-- The silence names its job; it ends at VERIFY (or when the job stops), and by its end time should the worker die.
ALTER TABLE silence ADD COLUMN job_id bigint REFERENCES job (id) ON DELETE SET NULL;
CREATE INDEX silence_job_idx ON silence (job_id) WHERE job_id IS NOT NULL;
-- A silence Linger made says why as a fact ({"key","args"}), in the reader's language; people's silences keep
-- their own words in comment.
ALTER TABLE silence ADD COLUMN reason jsonb;
