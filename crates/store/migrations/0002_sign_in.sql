-- Sign-in (issue 3): what a person sees of their sessions, two-factor with TOTP and recovery
-- codes, the roles that require it, and the counters that slow down password guessing.
-- Same portable subset as 0001.

-- Where and with what a session was last used, for the person's list of sessions.
ALTER TABLE tokens ADD COLUMN last_source TEXT;
ALTER TABLE tokens ADD COLUMN user_agent TEXT;

-- 1 when holders of this role must sign in with two-factor (the organisation's policy).
ALTER TABLE roles ADD COLUMN requires_mfa INTEGER NOT NULL DEFAULT 0 CHECK (requires_mfa IN (0, 1));

-- A person's TOTP authenticator (RFC 6238). The shared secret cannot be hashed: checking a
-- code needs it. It is never logged nor shown again after enrolment.
CREATE TABLE totp (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- Base32, 160 bits.
    secret TEXT NOT NULL,
    -- NULL while the enrolment waits for its first code.
    confirmed_at BIGINT,
    -- The last 30-second step whose code was accepted: no code is accepted twice.
    last_step BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Single-use recovery codes; only the SHA-256 of (user id, code) is kept.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Recent failed sign-ins per account and per source address, shared by every instance.
-- key: 'account:<org id>:<user id, or the login typed when unknown>' or 'address:<ip>'.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
