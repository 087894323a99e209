-- How many users of each status an organisation has, kept by every write of `users.status`
-- (src/users.rs: insert, insert_many, update, anonymise), so that the users list's counts read
-- three rows instead of counting 100,000 index entries on every page: 5 ms on SQLite, and
-- 35–50 ms on PostgreSQL, which reads the table itself for rows its visibility map does not
-- cover yet (bench/README.md, "Pages"). On PostgreSQL a transaction that adds users holds the
-- row of their status until it commits: other additions to that organisation wait for it.
CREATE TABLE user_counts (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, status)
);
INSERT INTO user_counts (org_id, status, n)
    SELECT org_id, status, COUNT(*) FROM users GROUP BY org_id, status;
