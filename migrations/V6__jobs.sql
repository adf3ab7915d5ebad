-- Remediation jobs: a runbook version applied to a host, approved by people, run by a worker
-- that holds a lease, with every step and every sysctl change recorded. The database enforces
-- the states and the rules that must never break, whatever the code does.

-- Guard rails: runs per hour per runbook across the fleet, and a maintenance window per host
-- (minutes after midnight UTC; HIGH and CRITICAL jobs wait outside it).
ALTER TABLE runbook ADD COLUMN max_runs_per_hour integer CHECK (max_runs_per_hour BETWEEN 1 AND 100000);
ALTER TABLE host ADD COLUMN maintenance_start_minute integer CHECK (maintenance_start_minute BETWEEN 0 AND 1439);
ALTER TABLE host ADD COLUMN maintenance_end_minute integer CHECK (maintenance_end_minute BETWEEN 0 AND 1439);
ALTER TABLE host ADD CONSTRAINT host_maintenance_both
    CHECK ((maintenance_start_minute IS NULL) = (maintenance_end_minute IS NULL));

CREATE TABLE job (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    runbook_version_id bigint      NOT NULL REFERENCES runbook_version (id),
    runbook_id         bigint      NOT NULL REFERENCES runbook (id),
    host_id            bigint      REFERENCES host (id) ON DELETE SET NULL,
    host_name          text        NOT NULL,
    incident_id        bigint      REFERENCES incident (id) ON DELETE SET NULL,
    rollback_of        bigint      REFERENCES job (id),
    risk               text        NOT NULL,
    params             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    reason             text        NOT NULL,
    requested_by       text        NOT NULL,
    -- what approvers saw: each step's command, current and intended values, blast radius
    plan               jsonb       NOT NULL,
    -- sha-256 over host, runbook version, parameters and commands: approvals are bound to it
    plan_hash          text        NOT NULL,
    status             text        NOT NULL,
    outcome            text,
    override_drift     boolean     NOT NULL DEFAULT false,
    stop_requested     boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    queued_at          timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    lease_owner        text,
    lease_until        timestamptz,
    version            integer     NOT NULL DEFAULT 0,
    CONSTRAINT job_status_known CHECK (status IN ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED',
        'REJECTED', 'EXPIRED', 'CANCELLED', 'INTERRUPTED')),
    CONSTRAINT job_risk_known CHECK (risk IN ('LOW', 'HIGH', 'CRITICAL')),
    CONSTRAINT job_finished_iff_terminal CHECK ((finished_at IS NOT NULL) = (status IN ('SUCCEEDED', 'FAILED',
        'REJECTED', 'EXPIRED', 'CANCELLED', 'INTERRUPTED'))),
    CONSTRAINT job_running_has_lease CHECK ((status = 'RUNNING') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL)),
    CONSTRAINT job_queued_has_time CHECK (status IN ('PENDING_APPROVAL', 'REJECTED', 'EXPIRED', 'CANCELLED')
        OR queued_at IS NOT NULL),
    CONSTRAINT job_started_has_time CHECK (status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED')
        OR started_at IS NOT NULL),
    CONSTRAINT job_not_own_rollback CHECK (rollback_of IS NULL OR rollback_of <> id)
);
-- at most one running job per host, whatever any worker believes
CREATE UNIQUE INDEX job_one_running_per_host ON job (host_id) WHERE status = 'RUNNING';
-- the claim query: oldest queued first
CREATE INDEX job_queued_idx ON job (queued_at, id) WHERE status = 'QUEUED';
CREATE INDEX job_running_lease_idx ON job (lease_until) WHERE status = 'RUNNING';
CREATE INDEX job_pending_idx ON job (expires_at) WHERE status = 'PENDING_APPROVAL';
CREATE INDEX job_runbook_started_idx ON job (runbook_id, started_at);
CREATE INDEX job_incident_idx ON job (incident_id);
-- one live rollback per job
CREATE UNIQUE INDEX job_one_rollback ON job (rollback_of)
    WHERE rollback_of IS NOT NULL AND status IN ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED');

CREATE TABLE job_approval (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id    bigint      NOT NULL REFERENCES job (id),
    approver  text        NOT NULL,
    decision  text        NOT NULL,
    comment   text        NOT NULL DEFAULT '',
    -- the plan this decision was made on; a changed plan makes it void
    plan_hash text        NOT NULL,
    admin     boolean     NOT NULL,
    at        timestamptz NOT NULL,
    CONSTRAINT job_approval_decision_known CHECK (decision IN ('APPROVE', 'REJECT')),
    UNIQUE (job_id, approver, plan_hash)
);

CREATE TABLE job_step (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      bigint      NOT NULL REFERENCES job (id),
    n           integer     NOT NULL,
    type        text        NOT NULL,
    command     text,
    status      text        NOT NULL,
    exit_code   integer,
    stdout      text,
    stderr      text,
    message     text,
    progress    text,
    confirmed_by text,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    UNIQUE (job_id, n),
    CONSTRAINT job_step_status_known CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT job_step_finished CHECK ((status = 'RUNNING') = (finished_at IS NULL))
);

-- Every sysctl change: recorded before it is made, confirmed after.
CREATE TABLE sysctl_change (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          bigint      NOT NULL REFERENCES job (id),
    step_n          integer     NOT NULL,
    host_id         bigint      REFERENCES host (id) ON DELETE SET NULL,
    key             text        NOT NULL,
    before          text        NOT NULL,
    intended        text        NOT NULL,
    after           text,
    persistent      boolean     NOT NULL,
    file            text,
    -- the file's content before the job wrote it; null when it did not exist
    previous_file   text,
    recorded_at     timestamptz NOT NULL,
    confirmed_at    timestamptz,
    -- set on the original change when a rollback job put the value back
    rolled_back_at  timestamptz,
    rolled_back_by  bigint      REFERENCES job (id),
    CONSTRAINT sysctl_change_persistent_file CHECK (persistent = (file IS NOT NULL)),
    CONSTRAINT sysctl_change_confirmed CHECK ((after IS NULL) = (confirmed_at IS NULL))
);
CREATE INDEX sysctl_change_job_idx ON sysctl_change (job_id, id);
