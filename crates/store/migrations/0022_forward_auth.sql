-- Forward authentication (issue 21): a reverse proxy (nginx `auth_request`, Caddy
-- `forward_auth`, Traefik `ForwardAuth`) asks Sésame whether a request to an application's host
-- may pass. The browser does not send Sésame's cookie to another host, so that host gets a
-- cookie of its own (`sesame_fa`), obtained through a single-use code. Both are 256-bit random
-- values kept only as their SHA-256, and both hang on the Sésame session they came from: when
-- it ends (sign-out, sessions ended by an administrator, password reset, disabled or deleted
-- person) they open nothing any more.

-- Codes: single use, 60 seconds, for one host; `used_at` marks the redemption.
CREATE TABLE forward_auth_codes (
    code_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The Sésame session (tokens.id) the person came with.
    session_id TEXT NOT NULL,
    -- `host` or `host:port`, lowercase: the one place the code may be redeemed.
    host TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX forward_auth_codes_expiry ON forward_auth_codes (expires_at);

-- The cookies of the applications' hosts: one row per browser and host.
CREATE TABLE forward_auth_sessions (
    token_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL,
    host TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX forward_auth_sessions_session ON forward_auth_sessions (session_id);
CREATE INDEX forward_auth_sessions_expiry ON forward_auth_sessions (expires_at);
