-- Incidents opened from snapshots (and from collection failures), their timelines, and the
-- outgoing notifications about them.

-- Per host: the ports its services listen on (PORT_BLOCKED watches them) and threshold overrides.
ALTER TABLE host ADD COLUMN service_ports integer[] NOT NULL DEFAULT '{}';
ALTER TABLE host ADD COLUMN close_wait_threshold integer CHECK (close_wait_threshold BETWEEN 1 AND 1000000);
ALTER TABLE host ADD COLUMN fin_wait1_age_seconds integer CHECK (fin_wait1_age_seconds BETWEEN 1 AND 86400);

CREATE TABLE incident (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id         bigint      NOT NULL REFERENCES host (id) ON DELETE CASCADE,
    kind            text        NOT NULL,
    port            integer     NOT NULL DEFAULT 0,
    severity        text        NOT NULL,
    status          text        NOT NULL,
    opened_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_by     text,
    -- consecutive collections without the condition; the incident resolves itself at a threshold
    clear_streak    integer     NOT NULL DEFAULT 0,
    explanation     text        NOT NULL,
    evidence        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    version         integer     NOT NULL DEFAULT 0,
    CONSTRAINT incident_kind_known CHECK (kind IN ('FIN_WAIT1_STUCK', 'CLOSE_WAIT_LEAK', 'DEFUNCT_OWNER',
        'ORPHAN_PRESSURE', 'PORT_BLOCKED', 'HOST_UNREACHABLE', 'HOST_KEY_CHANGED')),
    CONSTRAINT incident_severity_known CHECK (severity IN ('WARNING', 'CRITICAL')),
    CONSTRAINT incident_status_known CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    CONSTRAINT incident_resolved_has_time CHECK ((status = 'RESOLVED') = (resolved_at IS NOT NULL)),
    CONSTRAINT incident_acknowledged_has_who CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
    CONSTRAINT incident_port_range CHECK (port BETWEEN 0 AND 65535)
);
-- one incident per (host, kind, port) that is not resolved
CREATE UNIQUE INDEX incident_one_active ON incident (host_id, kind, port) WHERE status <> 'RESOLVED';
CREATE INDEX incident_status_idx ON incident (status, opened_at DESC);
CREATE INDEX incident_host_idx ON incident (host_id, kind, port, resolved_at DESC);

CREATE TABLE incident_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint      NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    type        text        NOT NULL,
    actor       text        NOT NULL,
    text        text        NOT NULL,
    CONSTRAINT incident_event_type_known CHECK (type IN ('OPENED', 'REOPENED', 'EVIDENCE', 'ESCALATED',
        'ACKNOWLEDGED', 'RESOLVED'))
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id, at);

-- Outbox: written in the transaction of the transition, sent (and retried) by any instance.
CREATE TABLE notification (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     bigint      NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    url             text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text,
    CONSTRAINT notification_one_outcome CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX notification_due_idx ON notification (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
