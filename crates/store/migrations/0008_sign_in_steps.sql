-- The web pages' sign-in in two steps: a right password leaves a ticket for the code step
-- (five minutes, once). Only the SHA-256 of the ticket is kept. It opens nothing else, so it
-- lives apart from the sessions and API tokens.
CREATE TABLE sign_in_steps (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX sign_in_steps_expiry ON sign_in_steps (expires_at);
