-- Invitations followed to the end (issue 23): who was invited, when and by whom, the last
-- invitation message sent, and the automatic reminders, each a fresh link.

-- The days after an invitation when a reminder goes, in increasing order, comma-separated
-- ('3,7': after three days, then after seven, then no more); '' turns reminders off.
ALTER TABLE organisations ADD COLUMN invitation_reminder_days TEXT NOT NULL DEFAULT '3,7';

-- One row per person ever sent an invitation (by anyone: an administrator, an import, the
-- person asking again, a reminder). Written in the same transaction as the message queued.
CREATE TABLE invitations (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- The first invitation queued (Unix ms), and who asked for it (a user; NULL: the
    -- operator at the command line, or unknown for invitations sent before this migration).
    first_at BIGINT NOT NULL,
    invited_by TEXT,
    -- The last invitation queued other than a reminder: reminders count their days from it.
    round_at BIGINT NOT NULL,
    -- The last invitation or reminder queued, and its outbox message (its delivery state).
    last_at BIGINT NOT NULL,
    last_message_id TEXT NOT NULL
);
CREATE INDEX invitations_by_org ON invitations (org_id, round_at);

-- The reminders queued: one per person, round and stage (the index of the day in the
-- setting), and at most one per person and day (in the organisation's time zone), so that
-- however many instances run the schedule, a reminder is queued once and never twice a day.
CREATE TABLE invitation_reminders (
    user_id TEXT NOT NULL REFERENCES users (id),
    round_at BIGINT NOT NULL,
    stage BIGINT NOT NULL,
    -- YYYY-MM-DD in the organisation's time zone.
    day TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, round_at, stage)
);
CREATE UNIQUE INDEX invitation_reminders_daily ON invitation_reminders (user_id, day);

-- The invitations sent before this migration, from the outbox (their sender is unknown).
INSERT INTO invitations (user_id, org_id, first_at, invited_by, round_at, last_at, last_message_id)
SELECT o.user_id, o.org_id,
       (SELECT MIN(f.created_at) FROM outbox f WHERE f.user_id = o.user_id AND f.kind = 'invitation'),
       NULL, o.created_at, o.created_at, o.id
FROM outbox o
WHERE o.kind = 'invitation' AND o.user_id IS NOT NULL
  AND o.id = (SELECT MAX(l.id) FROM outbox l WHERE l.user_id = o.user_id AND l.kind = 'invitation');
