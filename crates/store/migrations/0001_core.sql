-- Sésame's core schema. Portable subset (STACK.md): TEXT ids (UUIDv7), BIGINT Unix
-- milliseconds, INTEGER 0/1 instead of BOOLEAN, no native UUID/timestamp types. The same file
-- runs on SQLite and PostgreSQL. Every row belongs to an organisation.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    profile TEXT NOT NULL,
    language TEXT NOT NULL,
    country TEXT NOT NULL,
    -- Comma-separated user fields this organisation requires (login,email,first_name,…).
    required_fields TEXT NOT NULL,
    -- SHA-256 (hex) of the one-time link that creates the first administrator; NULL once used.
    setup_token_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    login TEXT NOT NULL,
    -- Trimmed and lowercased, so uniqueness is case-insensitive. NULL once deleted.
    email TEXT,
    first_name TEXT,
    last_name TEXT,
    -- E.164.
    phone TEXT,
    language TEXT NOT NULL,
    address_line TEXT,
    postal_code TEXT,
    city TEXT,
    status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled', 'deleted')),
    -- Argon2id PHC string; NULL until the person chooses a password.
    password_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Login, e-mail and names transliterated to lowercase ASCII, for accent-blind search.
    search TEXT NOT NULL,
    UNIQUE (org_id, login),
    UNIQUE (org_id, email)
);
-- Lists and searches walk this index in login order and stop at the end of the page, without
-- reading the table: a common word fills a page after a few hundred entries (bench/README.md).
CREATE INDEX users_search ON users (org_id, login, status, search, id);

CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    -- Lowercase ASCII form of the name: two groups may not differ only by case or accents.
    name_key TEXT NOT NULL,
    -- Free label: facility, room, distribution place, producer's team…
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, name_key)
);

CREATE TABLE memberships (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    group_id TEXT NOT NULL REFERENCES groups (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- Key of the preset it was made from, if any (admin, coordinator, …).
    preset_key TEXT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Space-separated permission codes.
    permissions TEXT NOT NULL,
    -- A role its holder must also hold ("managers only").
    requires_role_id TEXT REFERENCES roles (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, name_key)
);

CREATE TABLE role_assignments (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role_id TEXT NOT NULL REFERENCES roles (id),
    -- '' when held organisation-wide, else the group's id (a NULL would defeat the key).
    group_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role_id, group_id)
);
CREATE INDEX role_assignments_role ON role_assignments (role_id);

-- Sessions and API tokens. Only the SHA-256 of a token is kept.
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    name TEXT NOT NULL,
    -- Space-separated cap on the permissions it carries; NULL: those of its owner.
    permissions TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    revoked_at BIGINT,
    source TEXT
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    at BIGINT NOT NULL,
    actor_id TEXT,
    -- Who acted, as shown then (login, or "cli" for the operator): kept after anonymisation.
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    target_label TEXT,
    -- JSON objects of the changed fields; never a secret.
    before_json TEXT,
    after_json TEXT,
    source TEXT
);
CREATE INDEX audit_org_time ON audit (org_id, id);
