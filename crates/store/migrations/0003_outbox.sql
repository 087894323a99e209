-- E-mail (issue 4): the outbox, and the single-use links (invitation, password reset, e-mail
-- change) it delivers. Same portable subset as 0001.

-- One message to send. Written in the same transaction as the change that causes it; a worker
-- delivers it. The row holds what the message says (kind and parameters), never a link's
-- secret: the link is minted when the message is delivered, and only its hash is kept.
CREATE TABLE outbox (
    -- UUIDv7; also the left part of the Message-ID, the same at every attempt.
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- invitation, password_reset, password_changed, mfa_changed, email_change, notice, …
    kind TEXT NOT NULL,
    -- The person it is about, if any (anonymised with them).
    user_id TEXT,
    recipient TEXT NOT NULL,
    -- fr or en.
    language TEXT NOT NULL,
    -- JSON: what the message needs (who invited, the signature, …); never a secret.
    params_json TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    -- When the next attempt may start (Unix ms).
    next_attempt_at BIGINT NOT NULL,
    -- A worker that took the row holds it until then; another may take it after (a crash).
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_org ON outbox (org_id, id);

-- Single-use links. Only the SHA-256 of the secret is kept; a new link of a kind for a person
-- cancels the previous one.
CREATE TABLE link_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- invitation, password_reset, email_change
    kind TEXT NOT NULL,
    -- For an e-mail change: the new address, confirmed by following the link.
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    cancelled_at BIGINT
);
CREATE INDEX link_tokens_user ON link_tokens (user_id, kind);
