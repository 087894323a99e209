-- Issue 21: the keys the OpenID Connect provider signs its tokens with (ID tokens, logout
-- tokens). Server-wide: every organisation's issuer publishes the same JWKS, the issuers being
-- told apart by `iss` and `aud`. Per algorithm there is one `current` key (it signs), one
-- `next` key (published, not yet signing: relying parties learn it before it signs) and the
-- `retired` keys still published until every token they signed has expired.
-- `private_pem` is a PKCS#8 PEM: never logged, never exported (the JWKS and `sesame keys list`
-- read only `public_jwk`). `kid` is the RFC 7638 thumbprint of the public key.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL CHECK (alg IN ('RS256', 'EdDSA')),
    state TEXT NOT NULL CHECK (state IN ('next', 'current', 'retired')),
    private_pem TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    activated_at BIGINT,
    retired_at BIGINT
);
-- At most one current and one next key per algorithm: two instances starting at once on one
-- database cannot both make one (the second insert does nothing and reads the first's).
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (alg) WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (alg) WHERE state = 'next';
