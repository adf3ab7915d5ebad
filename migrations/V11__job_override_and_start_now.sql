-- Issue 12 items 9 and 12.
-- A failed check the proposer overrode, with why: shown in red in the plan, one more approval needed.
ALTER TABLE job ADD COLUMN override_reason text;
ALTER TABLE job ADD CONSTRAINT job_override_reason_said
    CHECK (override_reason IS NULL OR length(btrim(override_reason)) > 0);

-- An approved job started ahead of its host's maintenance window: who decided, why, when. Its own
-- decision by an approver who is not the proposer, whatever the code does.
ALTER TABLE job ADD COLUMN start_now_by text;
ALTER TABLE job ADD COLUMN start_now_reason text;
ALTER TABLE job ADD COLUMN start_now_at timestamptz;
ALTER TABLE job ADD CONSTRAINT job_start_now_whole
    CHECK ((start_now_by IS NULL) = (start_now_reason IS NULL) AND (start_now_by IS NULL) = (start_now_at IS NULL));
ALTER TABLE job ADD CONSTRAINT job_start_now_not_proposer
    CHECK (start_now_by IS NULL OR start_now_by <> requested_by);
