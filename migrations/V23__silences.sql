-- Issue 18 item 1: silences. A silence matches incidents by any subset of host, namespace (its name, container id
-- or pod), kind and port, between starts_at and ends_at, optionally only in a weekly window (mute windows, in a
-- time zone). A silenced incident still opens and shows, marked; it notifies nobody. Ending a silence early keeps
-- its row (ended_at), so what was silenced when stays on record.
CREATE TABLE silence (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id     bigint REFERENCES host (id) ON DELETE CASCADE,
    namespace   text,
    kind        text,
    port        integer,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    -- a weekly window: days as MON,TUE,…; from/to as local times in time_zone (to before from: over midnight)
    weekly_days text,
    weekly_from time,
    weekly_to   time,
    time_zone   text,
    comment     text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    ended_by    text,
    CONSTRAINT silence_matches_something CHECK (host_id IS NOT NULL OR namespace IS NOT NULL OR kind IS NOT NULL
        OR port IS NOT NULL),
    CONSTRAINT silence_ends_after_start CHECK (ends_at > starts_at),
    CONSTRAINT silence_port_range CHECK (port BETWEEN 0 AND 65535),
    CONSTRAINT silence_weekly_whole CHECK ((weekly_days IS NULL) = (weekly_from IS NULL)
        AND (weekly_days IS NULL) = (weekly_to IS NULL) AND (weekly_days IS NULL) = (time_zone IS NULL))
);
CREATE INDEX silence_live_idx ON silence (ends_at) WHERE ended_at IS NULL;
