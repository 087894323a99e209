-- The organisation of a membership, a role assignment or an audit entry is a copy kept for
-- org-scoped queries; it is checked once, where it is set: on the user, group or role the row
-- refers to (each with its own foreign key to organisations, and organisations are never
-- deleted). A second foreign key to organisations on every such row cost PostgreSQL 5–6 µs a
-- row, about a quarter of a 100,000-row import's writing (bench/README.md, "Import"); SQLite
-- checked it for almost nothing. Neither SQLite nor PostgreSQL drops a constraint the same
-- way, so each table is rebuilt without it (portable SQL, the same file on both), its rows kept.

CREATE TABLE memberships_new (
    org_id TEXT NOT NULL,
    group_id TEXT NOT NULL REFERENCES groups (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
INSERT INTO memberships_new (org_id, group_id, user_id, created_at)
    SELECT org_id, group_id, user_id, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE role_assignments_new (
    org_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    role_id TEXT NOT NULL REFERENCES roles (id),
    -- '' when held organisation-wide, else the group's id (a NULL would defeat the key).
    group_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role_id, group_id)
);
INSERT INTO role_assignments_new (org_id, user_id, role_id, group_id, created_at)
    SELECT org_id, user_id, role_id, group_id, created_at FROM role_assignments;
DROP TABLE role_assignments;
ALTER TABLE role_assignments_new RENAME TO role_assignments;
CREATE INDEX role_assignments_role ON role_assignments (role_id);

CREATE TABLE audit_new (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
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
INSERT INTO audit_new (id, org_id, at, actor_id, actor_label, action, target_type, target_id,
        target_label, before_json, after_json, source)
    SELECT id, org_id, at, actor_id, actor_label, action, target_type, target_id,
        target_label, before_json, after_json, source FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_org_time ON audit (org_id, id);
