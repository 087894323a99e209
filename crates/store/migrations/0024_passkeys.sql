-- Passkeys (issue 22): WebAuthn credentials, each the whole sign-in (discoverable, with user
-- verification) or the second factor after the password. Same portable subset as 0001.

-- A person's passkeys. `credential_id` is the credential's id, base64url without padding,
-- unique across the server: a device registered once cannot be registered again, to anyone.
-- `passkey` is webauthn-rs's serialised `Passkey` (public key, algorithm, counter, flags): no
-- secret, the private key never leaves the device. `counter` is the signature counter last
-- seen, kept apart so that a counter going backwards (a cloned device) is refused in one
-- conditional UPDATE, whichever instance answers.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    name TEXT NOT NULL,
    counter BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony in progress (registration, sign-in, second factor): webauthn-rs's state with its
-- challenge, kept here and not in a process so that any instance finishes what another began.
-- The browser holds a random id; only its SHA-256 is kept. Taken once (deleted as it is read),
-- refused after `expires_at`.
CREATE TABLE passkey_ceremonies (
    id_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- 'register', 'sign_in' (discoverable, no login typed) or 'second_factor'.
    kind TEXT NOT NULL CHECK (kind IN ('register', 'sign_in', 'second_factor')),
    -- Whose: the person registering, or the person whose password was right; NULL for a
    -- discoverable sign-in (the passkey tells who).
    user_id TEXT REFERENCES users (id),
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_ceremonies_expiry ON passkey_ceremonies (expires_at);
