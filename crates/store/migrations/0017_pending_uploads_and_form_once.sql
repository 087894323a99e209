-- Issue 20: what a second request may need, whichever instance answers it, is in the database.

-- The file an import's preview read, waiting for its confirmation (one per person, an hour at
-- most): the confirmation imports exactly these bytes. Personal data: deleted when taken, when
-- the same person uploads another, and once expired (by every instance, every minute).
-- The bytes are base64 TEXT: the portable subset has no binary type common to both databases.
CREATE TABLE pending_uploads (
    -- The preview's import id.
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_uploads_by_user ON pending_uploads (org_id, user_id);
CREATE INDEX pending_uploads_by_time ON pending_uploads (created_at);

-- The one-time values of the forms that create something: a value sent twice finds the first
-- sending's result. `place` is NULL while the first sending runs. Kept an hour.
CREATE TABLE form_once (
    value TEXT PRIMARY KEY,
    place TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_once_by_time ON form_once (created_at);
