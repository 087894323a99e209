-- The users list sorted by name walks this index and stops at the end of the page. Without it,
-- SQLite and PostgreSQL computed the sort key of every user and sorted them all for each page
-- (243 ms and 77 ms for 100,000 users, bench/README.md, "Pages"). The expression is the one
-- the list sorts on (`Sort::LastName` in src/users.rs), written the same way, or neither
-- database uses it; the login breaks ties, as in the list.
CREATE INDEX users_by_name ON users (org_id, LOWER(COALESCE(last_name, '')), login);
