-- The users list's search: each word of every user's login, e-mail and names, folded as
-- `search_words` in src/users.rs splits them, with the user's status. A search reads the range
-- of the index holding the words that start with what was typed, and counts by status from it
-- alone; testing every user's `search` with LIKE '%…%' took 17–20 ms on SQLite and 35–47 ms on
-- PostgreSQL for 100,000 users (bench/README.md, "Pages").
--
-- `users.search` holds the same words now, each after a space (`search_key` in src/users.rs):
-- what the next write of the user compares its new words with.
--
-- Kept by every write of a user (src/users.rs: insert, insert_many, update, anonymise, which
-- also keeps the status); filled for the users already there when the store opens the database
-- (`users::fill_words`), as splitting the words takes Rust. No foreign key: users are never
-- deleted (only anonymised, which removes their words), and checking one for each of the
-- hundreds of thousands of words an import writes would cost as much as writing them.
CREATE TABLE user_words (
    org_id TEXT NOT NULL,
    word TEXT NOT NULL,
    user_id TEXT NOT NULL,
    status TEXT NOT NULL
);
-- The word first, for the range; the user next, so that one of a user's words is found to be
-- removed without walking every user having it; the status last, so a count reads no table.
CREATE UNIQUE INDEX user_words_by_word ON user_words (org_id, word, user_id, status);
-- The list's other uses of `users_search` (walking the users in login order, with their status
-- and id) never read `search` any more: every user written paid for carrying it in the index.
DROP INDEX users_search;
CREATE INDEX users_search ON users (org_id, login, status, id);
