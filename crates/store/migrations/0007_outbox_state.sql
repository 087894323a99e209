-- The outbox page filtered by state ("failed", to see what did not leave) reads that state's
-- messages only, newest first.
CREATE INDEX outbox_org_state ON outbox (org_id, state, id);
