-- Keys the server signs with (the device cookies of the sign-in throttle), shared by every
-- instance on this database so that each accepts what another signed. One row per purpose;
-- the first instance to need a key creates it, the others read it. Never exported.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
