-- Issue 19. A running import holds a lease that its instance renews every second: an import
-- whose lease ran out belongs to an instance that stopped (a crash, kill -9), and is marked
-- failed with the reason. NULL (imports started before this migration): the lease is counted
-- from created_at.
ALTER TABLE imports ADD COLUMN lease_until BIGINT;
-- Why a failed import failed: a stable code (import.interrupted, storage.full, …).
ALTER TABLE imports ADD COLUMN failure TEXT;
CREATE INDEX imports_running ON imports (state, lease_until);

-- The e-mails an administrator sent one at a time to an address (an invitation, a reset link, a
-- message sent again), each kept an hour: the per-recipient limit counts them, in the database
-- so that every instance agrees. Addresses in lower case.
CREATE TABLE recipient_sends (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    recipient TEXT NOT NULL,
    -- invitation, password_reset, … (the outbox kind)
    kind TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX recipient_sends_by_recipient ON recipient_sends (org_id, recipient, sent_at);
CREATE INDEX recipient_sends_by_time ON recipient_sends (sent_at);
