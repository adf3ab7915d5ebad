-- issue 15: a job's outcome, its steps' messages and progress lines are facts (a message key of the run bundle and
-- its typed arguments, jsonb {"key":"run.…","args":[…]}), said in the reader's language when shown. Existing rows
-- held English sentences: each sentence a rule below recognises becomes its fact; anything else becomes
-- run.verbatim with the old sentence, shown as it was written. (Plans keep the texts they were stored with: a plan
-- from before this migration holds sentences in its values and blast radius, which the job page shows verbatim.)

CREATE FUNCTION v17_fact(k text, VARIADIC a jsonb[] DEFAULT ARRAY[]::jsonb[]) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('key', k, 'args', COALESCE((SELECT jsonb_agg(x) FROM unnest(a) AS x), '[]'::jsonb))
$$;

CREATE FUNCTION v17_n(s text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT to_jsonb(s::bigint) $$;

CREATE FUNCTION v17_s(s text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT to_jsonb(s) $$;

-- job_step.message (StepEngine, the verifier, the sweep of lost jobs)
CREATE FUNCTION v17_message(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    m text[];
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    IF t = 'exit 0' THEN RETURN v17_fact('run.exitZero'); END IF;
    IF t = 'verified' THEN RETURN v17_fact('run.verified'); END IF;
    IF t = 'confirmed' THEN RETURN v17_fact('run.confirmed'); END IF;
    IF t = 'interrupted' THEN RETURN v17_fact('run.interrupted'); END IF;
    IF t = 'stopped by request' THEN RETURN v17_fact('run.stopped'); END IF;
    IF t = 'Linger lost the worker running this step; whether its command finished is not known.' THEN
        RETURN v17_fact('run.stepLost');
    END IF;
    IF t = 'the host could not be collected again.' THEN RETURN v17_fact('run.notCollected', v17_s('')); END IF;
    m := regexp_match(t, '^parameter (\S+) has no value$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.paramNoValue', v17_s(m[1])); END IF;
    m := regexp_match(t, '^internal error: (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.internalError', v17_s(m[1])); END IF;
    m := regexp_match(t, '^no recorded value for (\S+): nothing before this step read it$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.noRecordedValue', v17_s(m[1])); END IF;
    m := regexp_match(t, '^writing (\S+) failed with exit code (-?\d+)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.writeFailed', v17_s(m[1]), v17_n(m[2])); END IF;
    m := regexp_match(t, '^wrote (\S+) and applied (\d+) keys$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.wroteAndApplied', v17_s(m[1]), v17_n(m[2])); END IF;
    m := regexp_match(t, '^cannot tell whether (\S+) exists$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.cannotTellExists', v17_s(m[1])); END IF;
    m := regexp_match(t, '^(\S+) is a symbolic link; Linger does not write through it or replace it$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.symlinkRefused', v17_s(m[1])); END IF;
    m := regexp_match(t, '^(\d+) sockets remain \(≤ (\d+)\)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.socketsRemain', v17_n(m[1]), v17_n(m[2])); END IF;
    m := regexp_match(t, '^still (\d+) (\S+) sockets remain on :(\S+) after (\d+) s$');
    IF m IS NOT NULL THEN
        RETURN v17_fact('run.stillRemain', v17_n(m[1]), v17_s(m[2]), v17_s(m[3]), v17_n(m[4]));
    END IF;
    m := regexp_match(t, '^(\d+) sockets destroyed$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.socketsDestroyed', v17_n(m[1])); END IF;
    m := regexp_match(t, '^process (\S+) is gone$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.processGone', v17_s(m[1])); END IF;
    m := regexp_match(t, '^sent SIG(\S+) to (\S+)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.signalSent', v17_s(m[1]), v17_s(m[2])); END IF;
    m := regexp_match(t, '^already (.*), nothing to undo$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.alreadyValue', v17_s(m[1])); END IF;
    m := regexp_match(t, '^drift: (\S+) is (.*), but the job left it at (.*); an approver must override to roll back$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.drift', v17_s(m[1]), v17_s(m[2]), v17_s(m[3])); END IF;
    m := regexp_match(t, '^could not arm the host-side guard for (\S+); nothing was changed$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.armFailed', v17_s(m[1])); END IF;
    m := regexp_match(t, '^setting (\S+) failed with exit code (-?\d+); it is (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.setFailed', v17_s(m[1]), v17_n(m[2]), v17_s(m[3])); END IF;
    m := regexp_match(t, '^(\S+) was set to (.*) but the kernel kept (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.kernelKept', v17_s(m[1]), v17_s(m[2]), v17_s(m[3])); END IF;
    m := regexp_match(t, '^(\S+) does not exist on this host$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.keyMissing', v17_s(m[1])); END IF;
    m := regexp_match(t, '^could not run the command on (\S+): (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.cannotRun', v17_s(m[1]), v17_s(m[2])); END IF;
    m := regexp_match(t, '^the command failed with exit code (-?\d+)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.commandFailed', v17_n(m[1])); END IF;
    m := regexp_match(t, '^the host could not be collected again: (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.notCollected', v17_s(m[1])); END IF;
    m := regexp_match(t, '^(\S+): (.*) → (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.valueChanged', v17_s(m[1]), v17_s(m[2]), v17_s(m[3])); END IF;
    m := regexp_match(t, '^(\S+) = (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.valueRead', v17_s(m[1]), v17_s(m[2])); END IF;
    RETURN v17_fact('run.verbatim', v17_s(t));
END
$$;

-- job.outcome (StepEngine, JobWorkers, JobService)
CREATE FUNCTION v17_outcome(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    m text[];
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    IF t = 'Nothing left to undo: every change was already rolled back.' THEN RETURN v17_fact('run.nothingToUndo'); END IF;
    IF t = 'The host of this job was removed.' THEN RETURN v17_fact('run.hostRemoved'); END IF;
    IF t = 'Nobody approved it in time.' THEN RETURN v17_fact('run.expired'); END IF;
    m := regexp_match(t, '^(\d+) steps done$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.stepsDone', v17_n(m[1])); END IF;
    m := regexp_match(t, '^(\d+) keys rolled back$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.keysRolledBack', v17_n(m[1])); END IF;
    m := regexp_match(t, '^stopped by request before step (\d+)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.stoppedBefore', v17_n(m[1])); END IF;
    m := regexp_match(t, '^step (\d+) failed: (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.stepFailed', v17_n(m[1]), v17_message(m[2])); END IF;
    m := regexp_match(t, '^Rolled back: every recorded change of job (\d+) is undone\.$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.rolledBack', v17_n(m[1])); END IF;
    m := regexp_match(t, '^Not needed: port (\S+) has (\d+) (\S+) sockets, no more than (\d+): nothing to do \(checked when the job started\)\.$');
    IF m IS NOT NULL THEN
        RETURN v17_fact('run.notNeeded', v17_fact('run.alreadyDrained', v17_s(m[1]), v17_n(m[2]), v17_s(m[3]),
                v17_n(m[4])));
    END IF;
    m := regexp_match(t, '^Linger failed while running this job: (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.lingerFailed', v17_s(m[1])); END IF;
    m := regexp_match(t, '^Linger lost this job while it ran \(its worker stopped renewing its lease at (.+) UTC\)\. It is not run again by itself: check the recorded changes and roll back or propose it again\.$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.lost', v17_s(m[1])); END IF;
    m := regexp_match(t, '^Rejected by ([^\s:]+): (.*)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.rejectedBy', v17_s(m[1]), v17_s(m[2])); END IF;
    m := regexp_match(t, '^Rejected by ([^\s:]+)\.$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.rejectedBy', v17_s(m[1]), v17_s('')); END IF;
    m := regexp_match(t, '^Cancelled by ([^\s:]+)\.$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.cancelledBy', v17_s(m[1])); END IF;
    RETURN v17_fact('run.verbatim', v17_s(t));
END
$$;

-- job_step.progress (StepEngine's WAIT_SOCKETS)
CREATE FUNCTION v17_progress(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    m text[];
BEGIN
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    m := regexp_match(t, '^(\d+) (\S+) sockets remain on :(\S+)$');
    IF m IS NOT NULL THEN RETURN v17_fact('run.progressRemain', v17_n(m[1]), v17_s(m[2]), v17_s(m[3])); END IF;
    RETURN v17_fact('run.verbatim', v17_s(t));
END
$$;

ALTER TABLE job ALTER COLUMN outcome TYPE jsonb USING v17_outcome(outcome);
ALTER TABLE job_step ALTER COLUMN message TYPE jsonb USING v17_message(message);
ALTER TABLE job_step ALTER COLUMN progress TYPE jsonb USING v17_progress(progress);

DROP FUNCTION v17_progress(text);
DROP FUNCTION v17_outcome(text);
DROP FUNCTION v17_message(text);
DROP FUNCTION v17_s(text);
DROP FUNCTION v17_n(text);
DROP FUNCTION v17_fact(text, jsonb[]);
