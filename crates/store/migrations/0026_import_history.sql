-- Import history and undo (issue 23). Same portable subset as 0001.

-- Every import is listed for 90 days: with the options it was run with (JSON: skip_invalid,
-- send_invitations, …), who ran it as shown then (kept should they be deleted), where it came
-- from (api, web, cli), and once undone, when and by whom.
ALTER TABLE imports ADD COLUMN options_json TEXT;
ALTER TABLE imports ADD COLUMN actor_label TEXT;
ALTER TABLE imports ADD COLUMN origin TEXT;
ALTER TABLE imports ADD COLUMN undone_at BIGINT;
ALTER TABLE imports ADD COLUMN undone_by TEXT;
CREATE INDEX imports_org_created ON imports (org_id, created_at);

-- What an applied import changed, one row per person, written in the import's own
-- transaction: whether it created them, their fields before (an update) and after (JSON
-- objects of the profile fields), the roles it granted and took back (JSON [[role_id,
-- group_id or ""]]), the groups it made them join and leave (JSON [group_id]). An undo reads
-- them and deletes them; they go with their import. No reference to users: a person created
-- by an import is deleted by its undo. `deleting` marks, inside an undo's transaction, the
-- people it deletes (each with its proof), so that each of their tables is emptied of them in
-- one statement.
CREATE TABLE import_changes (
    import_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL,
    created INTEGER NOT NULL CHECK (created IN (0, 1)),
    before_json TEXT,
    after_json TEXT NOT NULL,
    granted_json TEXT NOT NULL,
    revoked_json TEXT NOT NULL,
    joined_json TEXT NOT NULL,
    left_json TEXT NOT NULL,
    deleting INTEGER NOT NULL DEFAULT 0 CHECK (deleting IN (0, 1)),
    PRIMARY KEY (import_id, user_id)
);
