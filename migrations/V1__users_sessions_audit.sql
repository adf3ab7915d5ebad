-- Users, their server-side sessions, and the append-only, hash-chained audit log.

CREATE TABLE app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL,
    password_hash text        NOT NULL,
    -- comma-separated, e.g. 'operator,approver'; the CHECK keeps it to known roles
    roles         text        NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    CONSTRAINT app_user_username_format CHECK (username ~ '^[a-z][a-z0-9._-]{1,31}$'),
    CONSTRAINT app_user_roles_known CHECK (roles ~ '^(viewer|operator|approver|admin)(,(viewer|operator|approver|admin))*$'),
    CONSTRAINT app_user_password_is_bcrypt CHECK (password_hash LIKE '$2%')
);
CREATE UNIQUE INDEX app_user_username_key ON app_user (username);

-- A session cookie carries a random token; only its SHA-256 is stored, so a database
-- dump cannot be replayed as a login.
CREATE TABLE user_session (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_sha256   text        NOT NULL,
    user_id        bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    client_address text        NOT NULL,
    CONSTRAINT user_session_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX user_session_token_key ON user_session (token_sha256);
CREATE INDEX user_session_expires_idx ON user_session (expires_at);

CREATE TABLE audit_event (
    seq          bigint      PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,
    action       text        NOT NULL,
    subject_type text,
    subject_id   text,
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    prev_hash    text        NOT NULL,
    hash         text        NOT NULL,
    CONSTRAINT audit_event_seq_positive CHECK (seq > 0),
    CONSTRAINT audit_event_hash_format CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT audit_event_details_object CHECK (jsonb_typeof(details) = 'object')
);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, seq);
CREATE INDEX audit_event_action_idx ON audit_event (action, seq);
CREATE INDEX audit_event_subject_idx ON audit_event (subject_type, subject_id, seq);

-- Append-only: history is never edited, not even by the application.
CREATE FUNCTION audit_event_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change();

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_reject_change();
