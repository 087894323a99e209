-- The organisation's applications (issue 21): the OpenID Connect clients that sign their users
-- in with Sésame, and the hosts a reverse proxy asks about (forward authentication). Portable
-- subset (STACK.md): TEXT ids, BIGINT milliseconds and seconds, INTEGER 0/1 for yes/no.
CREATE TABLE apps (
    -- The client_id: 22 random URL-safe characters (128 bits), not a UUID, so that it reveals
    -- neither when the application was registered nor the order of registrations.
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    -- Lowercase ASCII form of the name: two applications may not differ only by case or accents.
    name_key TEXT NOT NULL,
    -- Where the « Mes applications » tile leads; NULL: no tile.
    launch_url TEXT,
    -- An image for the tile; NULL: the name's initial.
    logo_url TEXT,
    -- 1: a public client (a mobile or single-page app, no secret, PKCE required).
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    -- 1: the organisation's own application, which gets no consent page.
    trusted INTEGER NOT NULL CHECK (trusted IN (0, 1)),
    -- SHA-256 (lowercase hex) of the client secret; NULL for a public client. The secret is 32
    -- random bytes shown once: with full entropy there is nothing to guess offline, so a fast
    -- hash is right here (a password hash would only slow every token request down).
    secret_hash TEXT,
    -- Newline-separated lists of exact URIs.
    redirect_uris TEXT NOT NULL,
    post_logout_uris TEXT NOT NULL,
    backchannel_logout_uri TEXT,
    -- Newline-separated host names a reverse proxy asks about; may be empty.
    forward_auth_hosts TEXT NOT NULL,
    -- 1: only members of the groups in app_groups may use it. Kept apart from the list so that
    -- deleting the last of those groups closes the application rather than opening it to all.
    restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    id_token_alg TEXT NOT NULL DEFAULT 'RS256' CHECK (id_token_alg IN ('RS256', 'EdDSA')),
    access_token_lifetime_s BIGINT NOT NULL DEFAULT 3600,
    refresh_token_lifetime_s BIGINT NOT NULL DEFAULT 2592000,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, name_key)
);

-- The groups whose members may use an application restricted to groups (apps.restricted);
-- an application that is not: every active member of the organisation. Deleting either side
-- ends the line.
CREATE TABLE app_groups (
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (app_id, group_id)
);
CREATE INDEX app_groups_group ON app_groups (group_id);

-- The new permission apps.manage: roles that held every permission (the administrators') keep
-- holding every permission, so that existing administrators stay administrators (the last
-- administrator is counted as "every permission, organisation-wide").
UPDATE roles SET permissions = permissions || ' apps.manage'
WHERE permissions LIKE '%users.view%' AND permissions LIKE '%users.create%'
  AND permissions LIKE '%users.edit%' AND permissions LIKE '%users.disable%'
  AND permissions LIKE '%users.delete%' AND permissions LIKE '%users.import%'
  AND permissions LIKE '%users.export%' AND permissions LIKE '%users.invite%'
  AND permissions LIKE '%roles.assign%' AND permissions LIKE '%roles.manage%'
  AND permissions LIKE '%groups.manage%' AND permissions LIKE '%org.settings%'
  AND permissions LIKE '%audit.read%' AND permissions LIKE '%email.signature%'
  AND permissions NOT LIKE '%apps.manage%';
