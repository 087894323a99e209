-- A grace period for required two-factor (issue 22): someone who comes under a role requiring
-- two-factor without having it keeps signing in normally until a deadline, is reminded by
-- e-mail, and only after the deadline is led to enrolment alone.

-- How many days the organisation gives (0: none, enrolment at the next sign-in).
ALTER TABLE organisations ADD COLUMN mfa_grace_days BIGINT NOT NULL DEFAULT 14;

-- One row per person in a grace period; removed when they enrol. A row of someone no longer
-- required means nothing (it is replaced when they are required again).
CREATE TABLE mfa_grace (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    started_at BIGINT NOT NULL,
    deadline BIGINT NOT NULL
);
CREATE INDEX mfa_grace_deadline ON mfa_grace (org_id, deadline);

-- The reminders queued: one row per person, stage (`start`, `soon`, `last`) and the moment
-- it is about (the start, or the deadline it announces), so that a reminder is queued once
-- however many instances run the schedule, and again only for a new deadline.
CREATE TABLE mfa_grace_reminders (
    user_id TEXT NOT NULL REFERENCES users (id),
    stage TEXT NOT NULL,
    due BIGINT NOT NULL,
    queued_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, stage, due)
);
