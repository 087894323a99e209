-- The users list's counts by status come from `user_counts` (0012) now: the index of 0010,
-- made for counting them, serves no query any more, and every user written paid for it
-- (an import of 100,000 people updated it 100,000 times).
DROP INDEX users_status;
