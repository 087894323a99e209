-- Single sign-on (issue 21): Sésame as the OpenID Connect provider of the organisation's
-- applications (`apps`, 0020). Every secret here — codes, access and refresh tokens — is kept
-- only as its SHA-256 (they are 256-bit random values: a fast hash is the right one). Nothing
-- lives in one instance's memory: a code redeemed on one instance is refused on the next.

-- How the session was opened, for the `amr` claim: space-separated (`pwd`, `otp`, `mfa`).
-- NULL for sessions older than this migration and for API tokens.
ALTER TABLE tokens ADD COLUMN amr TEXT;

-- Authorization codes (RFC 6749 §4.1.2): single use, 60 seconds. `used_at` marks the first
-- redemption; `grant_id` names what it issued, revoked if the code comes back.
CREATE TABLE oidc_codes (
    code_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The Sésame session (tokens.id) the person approved from: the `sid` of the ID token.
    session_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    -- BASE64URL(SHA-256(code_verifier)) (RFC 7636, S256 only); NULL without PKCE.
    code_challenge TEXT,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    grant_id TEXT
);
CREATE INDEX oidc_codes_expiry ON oidc_codes (expires_at);

-- What one redeemed code gave an application: the family of its access and refresh tokens.
-- Revoking the grant ends them all (a replayed code or refresh token, a withdrawn consent).
-- A grant also ends with the Sésame session it came from (sign-out, sessions ended by an
-- administrator, password reset, disabled or deleted person): every use checks it.
CREATE TABLE oidc_grants (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oidc_grants_user ON oidc_grants (user_id);
CREATE INDEX oidc_grants_session ON oidc_grants (session_id);

-- Access and refresh tokens, opaque. A refresh token is rotated on every use: `rotated_at`
-- marks the old one, still accepted for a short grace window (clients refreshing twice at
-- once), after which presenting it again revokes the whole grant.
CREATE TABLE oidc_tokens (
    token_hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    rotated_at BIGINT
);
CREATE INDEX oidc_tokens_grant ON oidc_tokens (grant_id);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (expires_at);

-- What a person allowed an application to receive (the consent page), until withdrawn.
CREATE TABLE oidc_consents (
    user_id TEXT NOT NULL REFERENCES users (id),
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id)
);

-- The applications a Sésame session signed in to, and the back-channel logout each is owed
-- once that session ends (OpenID Connect Back-Channel Logout 1.0). The worker sends a logout
-- token to every row whose session has ended, retrying with growing delays; a restart loses
-- nothing since the queue is this table.
CREATE TABLE oidc_app_sessions (
    session_id TEXT NOT NULL,
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    -- Back-channel logout: attempts made, when the next may start (also the lease of the
    -- instance sending it), when it ended ('sent' or 'failed').
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL DEFAULT 0,
    done_at BIGINT,
    outcome TEXT,
    PRIMARY KEY (session_id, app_id)
);
CREATE INDEX oidc_app_sessions_pending ON oidc_app_sessions (done_at, next_at);
