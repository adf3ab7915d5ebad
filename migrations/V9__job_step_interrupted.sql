-- Issue 12 item 6: a step whose worker was lost (kill -9, a dead instance) ends INTERRUPTED with its job,
-- instead of showing RUNNING forever: a worker that lost its lease writes nothing more.
ALTER TABLE job_step DROP CONSTRAINT job_step_status_known;
ALTER TABLE job_step ADD CONSTRAINT job_step_status_known
    CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'));

-- Steps left RUNNING by jobs interrupted before this version.
UPDATE job_step s
   SET status = 'INTERRUPTED', finished_at = j.finished_at,
       message = 'Linger lost the worker running this step; whether its command finished is not known.'
  FROM job j
 WHERE j.id = s.job_id AND j.status = 'INTERRUPTED' AND s.status = 'RUNNING';
