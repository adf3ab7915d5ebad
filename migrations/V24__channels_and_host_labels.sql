-- Issue 18: host labels (routing and silences match them), notification channels with routes and escalation, and
-- deliveries that name their channel and event.

-- A host's labels: plain words such as "prod" or "team=payments"; a route or a silence names one of them.
ALTER TABLE host ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
CREATE INDEX host_labels_idx ON host USING gin (labels);

ALTER TABLE silence ADD COLUMN host_label text;
ALTER TABLE silence DROP CONSTRAINT silence_matches_something;
ALTER TABLE silence ADD CONSTRAINT silence_matches_something CHECK (host_id IS NOT NULL OR host_label IS NOT NULL
    OR namespace IS NOT NULL OR kind IS NOT NULL OR port IS NOT NULL);

-- A channel is where notifications go (a webhook: Slack-compatible or a generic JSON body) and its route: which
-- incidents it hears of (from a severity up, some kinds, hosts with a label). With escalate_after_minutes it is an
-- escalation: it hears of an incident only when nobody has acknowledged it that many minutes after it (re)opened.
-- Removing a channel keeps its row (removed_at) so past deliveries still name it.
CREATE TABLE notification_channel (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                   text        NOT NULL,
    url                    text        NOT NULL,
    format                 text        NOT NULL,
    min_severity           text        NOT NULL DEFAULT 'WARNING',
    kinds                  text[]      NOT NULL DEFAULT '{}',
    host_label             text,
    escalate_after_minutes integer,
    enabled                boolean     NOT NULL DEFAULT true,
    created_by             text        NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    removed_at             timestamptz,
    CONSTRAINT channel_format_known CHECK (format IN ('SLACK', 'JSON')),
    CONSTRAINT channel_severity_known CHECK (min_severity IN ('WARNING', 'CRITICAL')),
    CONSTRAINT channel_url_http CHECK (url ~ '^https?://'),
    CONSTRAINT channel_escalation_range CHECK (escalate_after_minutes BETWEEN 1 AND 10080)
);
CREATE UNIQUE INDEX channel_name_live ON notification_channel (lower(name)) WHERE removed_at IS NULL;

-- A delivery names its channel (null: a URL of LINGER_INCIDENTS_WEBHOOKS) and what it tells: opened, reopened,
-- escalated, unacknowledged (an escalation channel), resolved, or test (no incident).
ALTER TABLE notification ADD COLUMN channel_id bigint REFERENCES notification_channel (id);
ALTER TABLE notification ADD COLUMN event text;
UPDATE notification SET event = payload #>> '{incident,event}';
UPDATE notification SET event = 'opened' WHERE event IS NULL;
ALTER TABLE notification ALTER COLUMN event SET NOT NULL;
ALTER TABLE notification ALTER COLUMN incident_id DROP NOT NULL;
ALTER TABLE notification ADD CONSTRAINT notification_event_known CHECK (event IN ('opened', 'reopened', 'escalated',
    'unacknowledged', 'resolved', 'test'));
ALTER TABLE notification ADD CONSTRAINT notification_test_has_no_incident CHECK ((event = 'test') = (incident_id IS NULL));
CREATE INDEX notification_incident_idx ON notification (incident_id, created_at);
CREATE INDEX notification_channel_idx ON notification (channel_id, created_at DESC);

-- The timeline says when an incident went to an escalation channel because nobody acknowledged it.
ALTER TABLE incident_event DROP CONSTRAINT incident_event_type_known;
ALTER TABLE incident_event ADD CONSTRAINT incident_event_type_known CHECK (type IN ('OPENED', 'REOPENED', 'EVIDENCE',
    'ESCALATED', 'ACKNOWLEDGED', 'RESOLVED', 'PAGED'));
