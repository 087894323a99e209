-- The users list counts the people of each status on every page: counting a range of this
-- narrow index takes SQLite and PostgreSQL a few milliseconds for 100,000 users, where a pass
-- over the wide search index took 15–20 (bench/README.md, "Pages"). Status first: with the
-- organisation first, SQLite chose this index for the list itself (`org_id = ?`) and sorted
-- every user by login for each page, instead of walking the login index.
CREATE INDEX users_status ON users (status, org_id);
