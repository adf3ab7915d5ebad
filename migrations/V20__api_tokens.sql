-- Issue 17 item 3: personal API tokens. A token is lgr_ + 32 random base62 characters + a 6-character checksum;
-- only its SHA-256 is stored, so a database dump cannot be replayed. The prefix (the first 12 characters) is shown
-- in lists so people can tell their tokens apart. Scopes are capped by the owner's roles at every use.
CREATE TABLE api_token (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name              text        NOT NULL,
    token_hash        text        NOT NULL,
    prefix            text        NOT NULL,
    scopes            text[]      NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    last_used_at      timestamptz,
    last_used_address text,
    revoked_at        timestamptz,
    revoked_by        text,
    CONSTRAINT api_token_name_form CHECK (char_length(name) BETWEEN 1 AND 100 AND name !~ '[[:cntrl:]]'),
    CONSTRAINT api_token_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_token_prefix_format CHECK (prefix ~ '^lgr_[0-9A-Za-z]{8}$'),
    CONSTRAINT api_token_scopes_known CHECK (cardinality(scopes) > 0
        AND scopes <@ ARRAY['read', 'operate', 'approve', 'admin']::text[]),
    CONSTRAINT api_token_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT api_token_revoked_with_actor CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX api_token_hash_key ON api_token (token_hash);
CREATE INDEX api_token_user_idx ON api_token (user_id, created_at);
