-- Issue 17 items 1 and 4: people who sign in through an OIDC provider, how each session was authenticated
-- (for step-up before risky decisions), and whether local passwords still open Linger for everyone.

-- An account made at its first sign-in through the provider is tied to the provider's subject, never to a
-- user name alone: a name can be reused at the provider, a subject cannot.
ALTER TABLE app_user
    ADD COLUMN oidc_issuer  text,
    ADD COLUMN oidc_subject text,
    -- may sign in with a password even when local sign-in is off (the first admin, break-glass accounts)
    ADD COLUMN break_glass  boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT app_user_oidc_pair CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL));
CREATE UNIQUE INDEX app_user_oidc_key ON app_user (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- the first admin is the break-glass account from the start
UPDATE app_user SET break_glass = true WHERE username = 'admin' AND created_by = 'system';

ALTER TABLE user_session
    ADD COLUMN auth_method      text,
    ADD COLUMN authenticated_at timestamptz,
    -- the provider's ID token, sent back as id_token_hint when the person signs out (RP-initiated logout)
    ADD COLUMN id_token         text;
UPDATE user_session SET auth_method = 'password', authenticated_at = created_at;
ALTER TABLE user_session
    ALTER COLUMN auth_method SET NOT NULL,
    ALTER COLUMN authenticated_at SET NOT NULL,
    ADD CONSTRAINT user_session_auth_method_known CHECK (auth_method IN ('password', 'password+totp', 'oidc'));

-- One row: the sign-in rules an admin sets on the Users page.
CREATE TABLE login_policy (
    id            integer     PRIMARY KEY CHECK (id = 1),
    local_sign_in boolean     NOT NULL,
    changed_at    timestamptz,
    changed_by    text
);
INSERT INTO login_policy (id, local_sign_in) VALUES (1, true);

-- A decision records how its maker last authenticated (step-up before HIGH and CRITICAL approvals).
ALTER TABLE job_approval
    ADD COLUMN auth_method      text,
    ADD COLUMN authenticated_at timestamptz;
