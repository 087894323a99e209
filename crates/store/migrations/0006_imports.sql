-- Spreadsheet imports (issue 5): each one run through the API, its progress while it runs, its
-- summary, and the faulty rows for the error file (the cells as read: personal data, readable
-- only by those who may import).
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT,
    file_name TEXT NOT NULL,
    -- xlsx, xls, ods, csv: the error file's default format.
    format TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    rows_read BIGINT NOT NULL,
    -- JSON: the summary, once done.
    summary_json TEXT,
    -- JSON: {"headers": [...], "rows": [[cells…, errors]]}, once done.
    faulty_json TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX imports_org ON imports (org_id, id);
