-- Issue 18 item 3: alerts in from Prometheus Alertmanager and Netdata. Each alert is one row per (source,
-- fingerprint), kept up to date as it fires again or resolves; host_id is null for an alert that named no host Linger
-- knows (recorded, shown as unmatched). A matched alert opens or joins an incident: EXTERNAL_ALERT, or the incident
-- of the kind it names when that one is open on the host.
ALTER TABLE incident DROP CONSTRAINT incident_kind_known;
ALTER TABLE incident ADD CONSTRAINT incident_kind_known CHECK (kind IN ('FIN_WAIT1_STUCK', 'CLOSE_WAIT_LEAK',
    'DEFUNCT_OWNER', 'ORPHAN_PRESSURE', 'PORT_BLOCKED', 'HOST_UNREACHABLE', 'HOST_KEY_CHANGED', 'EXTERNAL_ALERT'));

CREATE TABLE external_alert (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text        NOT NULL,
    fingerprint      text        NOT NULL,
    status           text        NOT NULL,
    name             text        NOT NULL,
    severity         text,
    labels           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    annotations      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    link             text,
    host_hint        text,
    host_id          bigint REFERENCES host (id) ON DELETE SET NULL,
    incident_id      bigint REFERENCES incident (id) ON DELETE SET NULL,
    starts_at        timestamptz,
    ends_at          timestamptz,
    first_received_at timestamptz NOT NULL,
    last_received_at timestamptz NOT NULL,
    received_by      text        NOT NULL,
    times_received   integer     NOT NULL DEFAULT 1,
    CONSTRAINT external_alert_source_known CHECK (source IN ('ALERTMANAGER', 'NETDATA')),
    CONSTRAINT external_alert_status_known CHECK (status IN ('firing', 'resolved')),
    CONSTRAINT external_alert_one_per_fingerprint UNIQUE (source, fingerprint)
);
CREATE INDEX external_alert_incident_idx ON external_alert (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX external_alert_unmatched_idx ON external_alert (last_received_at DESC) WHERE host_id IS NULL;
