-- Issue 17 item 5: time-based one-time passwords (RFC 6238) for local accounts, with recovery codes.
-- The secret is what the authenticator app holds too; it is set when someone starts setting codes up and
-- counts from totp_enabled_at, once they have typed a first code. totp_last_step keeps a code from being used twice.
ALTER TABLE app_user
    ADD COLUMN totp_secret     text,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT app_user_totp_needs_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

-- Shown once when codes are set up; only their SHA-256 is kept (each is 50 random bits, not a password).
CREATE TABLE user_recovery_code (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    code_sha256 text        NOT NULL,
    used_at     timestamptz
);
CREATE INDEX user_recovery_code_user_idx ON user_recovery_code (user_id);

-- An admin can require codes of approvers and admins who sign in with a password.
ALTER TABLE login_policy ADD COLUMN totp_required boolean NOT NULL DEFAULT false;
