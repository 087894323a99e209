-- Notification preferences ("Notification par courriel") and e-mail signatures ("Signature
-- courriel"). Portable subset (STACK.md): TEXT ids, BIGINT Unix milliseconds, INTEGER 0/1.
--
-- Sésame's own alert types (member_joined, import_finished, security) are defined in code; this
-- table holds those other applications register through the API.
CREATE TABLE alert_types (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- Lowercase ASCII letters, digits, `_`, `.`, `-`.
    alert_key TEXT NOT NULL,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    -- 1 when people may limit the alert to some groups.
    group_filter INTEGER NOT NULL CHECK (group_filter IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, alert_key)
);

-- The organisation's default for an alert type, for the people who never chose. No row: the
-- type's own default (off for a registered type).
CREATE TABLE alert_defaults (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    alert_key TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, alert_key)
);

-- One person's choice for one alert type. `enabled` NULL: they follow the organisation's
-- default (the row then only carries a group filter).
CREATE TABLE alert_choices (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    alert_key TEXT NOT NULL,
    enabled INTEGER CHECK (enabled IN (0, 1)),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, alert_key)
);
CREATE INDEX alert_choices_alert ON alert_choices (org_id, alert_key);

-- A person's group filter for one alert type: no row, every group. Deleting a group deletes
-- it from the filters (a filter left with no group means every group again).
CREATE TABLE alert_filters (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    alert_key TEXT NOT NULL,
    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, alert_key, group_id)
);
CREATE INDEX alert_filters_group ON alert_filters (group_id);

-- E-mail signatures: the sanitised text as the person wrote it (plain text, or minimal HTML
-- already cleaned by the application).
CREATE TABLE signatures (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
