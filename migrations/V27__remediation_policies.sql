-- Issue 18 item 5: remediation by policy. "For incident kind K on hosts with label L, run runbook R (LOW risk only)
-- without waiting for people", with limits per host and fleet-wide per hour, a circuit breaker, an optional
-- maintenance window and a dry-run mode. Versioned like runbooks: every change adds a version; jobs name the version
-- that started them.
CREATE TABLE remediation_policy (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               text        NOT NULL,
    version            integer     NOT NULL DEFAULT 1,
    kind               text        NOT NULL,
    host_label         text,
    runbook            text        NOT NULL,
    max_per_host_hour  integer     NOT NULL,
    max_per_hour       integer     NOT NULL,
    breaker_after      integer     NOT NULL,
    window_start_minute integer,
    window_end_minute  integer,
    dry_run            boolean     NOT NULL DEFAULT false,
    enabled            boolean     NOT NULL DEFAULT true,
    -- the breaker counts failures since the policy was last armed (made, changed or enabled again)
    armed_at           timestamptz NOT NULL,
    tripped_at         timestamptz,
    trip_reason        jsonb,
    -- one instance at a time works a policy (a lease, never a transaction held across SSH)
    runner_until       timestamptz,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    removed_at         timestamptz,
    CONSTRAINT policy_limits CHECK (max_per_host_hour BETWEEN 1 AND 60 AND max_per_hour BETWEEN 1 AND 1000
        AND breaker_after BETWEEN 1 AND 100),
    CONSTRAINT policy_window_whole CHECK ((window_start_minute IS NULL) = (window_end_minute IS NULL))
);
CREATE UNIQUE INDEX policy_name_live ON remediation_policy (lower(name)) WHERE removed_at IS NULL;

CREATE TABLE remediation_policy_version (
    policy_id  bigint      NOT NULL REFERENCES remediation_policy (id),
    version    integer     NOT NULL,
    definition jsonb       NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (policy_id, version)
);

ALTER TABLE job ADD COLUMN policy_id bigint REFERENCES remediation_policy (id);
ALTER TABLE job ADD COLUMN policy_version integer;
CREATE INDEX job_policy_idx ON job (policy_id, created_at) WHERE policy_id IS NOT NULL;

-- a tripped breaker pages people: a notification with no incident
ALTER TABLE notification DROP CONSTRAINT notification_event_known;
ALTER TABLE notification ADD CONSTRAINT notification_event_known CHECK (event IN ('opened', 'reopened', 'escalated',
    'unacknowledged', 'resolved', 'test', 'breaker'));
ALTER TABLE notification DROP CONSTRAINT notification_test_has_no_incident;
ALTER TABLE notification ADD CONSTRAINT notification_incident_unless_test_or_breaker
    CHECK ((event IN ('test', 'breaker')) = (incident_id IS NULL));
