-- Issue 18 item 4: notes on incidents and jobs, in Markdown (rendered safely where shown), kept with who wrote
-- them; a note may be sent to the channels that heard of its incident.
CREATE TABLE note (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint REFERENCES incident (id) ON DELETE CASCADE,
    job_id      bigint REFERENCES job (id) ON DELETE CASCADE,
    author      text        NOT NULL,
    body        text        NOT NULL,
    notified    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    CONSTRAINT note_on_one_thing CHECK ((incident_id IS NULL) <> (job_id IS NULL)),
    CONSTRAINT note_length CHECK (length(body) BETWEEN 1 AND 10000)
);
CREATE INDEX note_incident_idx ON note (incident_id, created_at) WHERE incident_id IS NOT NULL;
CREATE INDEX note_job_idx ON note (job_id, created_at) WHERE job_id IS NOT NULL;

ALTER TABLE notification DROP CONSTRAINT notification_event_known;
ALTER TABLE notification ADD CONSTRAINT notification_event_known CHECK (event IN ('opened', 'reopened', 'escalated',
    'unacknowledged', 'resolved', 'test', 'breaker', 'note'));

-- date ranges on the incident and job lists
CREATE INDEX incident_opened_idx ON incident (opened_at DESC);
CREATE INDEX job_created_idx ON job (created_at DESC);
