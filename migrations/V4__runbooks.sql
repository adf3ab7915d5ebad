-- Runbooks: a stable name (slug) and immutable versions. Editing a runbook adds a version; a job
-- keeps the version it ran, so what was approved and run can always be shown again.

-- What the host's ss can do, from its latest collection (null until collected): offered runbooks depend on it.
ALTER TABLE host ADD COLUMN can_kill_sockets boolean;

CREATE TABLE runbook (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           text        NOT NULL UNIQUE,
    latest_version integer     NOT NULL,
    -- shipped with Linger (written by its authors, updated only by migrations) or made by a team
    shipped        boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    created_by     text        NOT NULL,
    CONSTRAINT runbook_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    CONSTRAINT runbook_version_positive CHECK (latest_version >= 1)
);

CREATE TABLE runbook_version (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    runbook_id      bigint      NOT NULL REFERENCES runbook (id),
    version         integer     NOT NULL,
    title           text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    risk            text        NOT NULL,
    fits            text[]      NOT NULL DEFAULT '{}',
    checks          text[]      NOT NULL DEFAULT '{}',
    -- [{"name", "type", "label", "defaultValue", "from"}]
    params          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    -- [{"type", ...fields, "sourceLine", "sourceText"}], checked by the application before insert
    steps           jsonb       NOT NULL,
    change_note     text        NOT NULL DEFAULT '',
    -- the document an import started from
    source_document text,
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    UNIQUE (runbook_id, version),
    CONSTRAINT runbook_version_risk_known CHECK (risk IN ('LOW', 'HIGH', 'CRITICAL')),
    CONSTRAINT runbook_version_steps_list CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) >= 1),
    CONSTRAINT runbook_version_source_size CHECK (length(source_document) <= 1000000)
);

-- A version is a record of what jobs ran: it never changes and never goes away.
CREATE FUNCTION runbook_version_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'runbook versions are immutable: add a new version instead';
END;
$$;
CREATE TRIGGER runbook_version_immutable
    BEFORE UPDATE OR DELETE ON runbook_version
    FOR EACH ROW EXECUTE FUNCTION runbook_version_reject_change();
