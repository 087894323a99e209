-- The users list counts the people of each status on every page: counting a range of this
-- narrow index takes SQLite and PostgreSQL a few milliseconds for 100,000 users, where a pass
-- over the wide search index took 15–20 (bench/README.md, "Pages").
CREATE INDEX users_status ON users (org_id, status);
