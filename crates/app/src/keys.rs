//! The keys the OpenID Connect provider signs with (ID tokens, logout tokens), and their
//! rotation.
//!
//! RS256 always (every relying party verifies it), EdDSA (Ed25519) for the clients that ask
//! for it. Per algorithm the database holds one `current` key, the only one that signs; one
//! `next` key, published in the JWKS but not yet signing, so that relying parties that cache
//! the JWKS know it before the first token it signs; and `retired` keys, still published until
//! every token they signed has expired ([`RETIRED_KEEP_MS`]). The keys are made at first start
//! ([`ensure`]), are server-wide (every organisation's issuer publishes the same JWKS; issuers
//! are told apart by `iss` and `aud`), and rotate by command ([`rotate`], `sesame keys rotate`)
//! and on a schedule ([`run_schedule`], every [`ROTATE_AFTER_MS`]).
//!
//! A private key is never logged, never returned, never written anywhere but its row: the
//! JWKS and the key list read only the public JWK. Signing reads the current kid from the
//! database on every call, so a rotation made by the command line or by another instance on
//! the same PostgreSQL takes effect at once; the parsed keys are kept in memory by kid (a kid
//! is the RFC 7638 thumbprint of its public key, so a kid always names the same key, whatever
//! the database).
//!
//! Signing and verification go through `jsonwebtoken` (RustCrypto backend: RSA signatures are
//! blinded). The keys are made with the `rsa` crate (2048 bits) and `ed25519-dalek`.

use crate::{App, Error, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde_json::{Value, json};
use sesame_store::signing_keys::{self, KeyInfo, NewKey};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};
use std::time::Duration;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// A current key older than this is rotated by [`run_schedule`] (90 days).
pub const ROTATE_AFTER_MS: i64 = 90 * DAY_MS;

/// How long a retired key stays published (and able to verify) after it stopped signing:
/// 30 days. A key signs only while it is current; every token it signed is then valid for at
/// most its lifetime — ID tokens and logout tokens live minutes to hours (a few hours at the
/// very most, whatever an application's settings) — so 30 days is far longer than any token
/// it signed can still be valid, and leaves room for an ID token sent back as an
/// `id_token_hint` long after it expired (logout accepts those). Past that, a hint signed by
/// a deleted key no longer verifies, and logout asks the person instead.
pub const RETIRED_KEEP_MS: i64 = 30 * DAY_MS;

/// How often [`run_schedule`] looks at the keys' age.
const CHECK_EVERY: Duration = Duration::from_secs(3600);

const RSA_BITS: usize = 2048;

/// A signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256: what every relying party verifies.
    #[serde(rename = "RS256")]
    Rs256,
    /// Ed25519, for the clients that ask for it.
    #[serde(rename = "EdDSA")]
    EdDsa,
}

impl Alg {
    /// Every algorithm, RS256 first.
    pub const ALL: [Alg; 2] = [Alg::Rs256, Alg::EdDsa];

    /// Its name in a JOSE header and in the discovery document: `RS256`, `EdDSA`.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::EdDsa => "EdDSA",
        }
    }

    /// The algorithm named `s` exactly as [`Alg::as_str`] writes it.
    pub fn parse(s: &str) -> Option<Alg> {
        match s {
            "RS256" => Some(Alg::Rs256),
            "EdDSA" => Some(Alg::EdDsa),
            _ => None,
        }
    }

    fn jwt(self) -> Algorithm {
        match self {
            Alg::Rs256 => Algorithm::RS256,
            Alg::EdDsa => Algorithm::EdDSA,
        }
    }
}

/// One algorithm's rotation: the kids that changed state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rotated {
    pub alg: Alg,
    /// The key that signed until now, now retired (still published).
    pub retired: String,
    /// The former next key, which signs from now on.
    pub current: String,
    /// The fresh key, published from now on, which will sign after the next rotation.
    pub next: String,
}

/// What [`rotate`] (or a scheduled check) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rotation {
    /// One entry per algorithm rotated (none when another instance rotated first).
    pub rotated: Vec<Rotated>,
    /// How many retired keys were deleted, kept past [`RETIRED_KEEP_MS`].
    pub deleted: u64,
}

/// A key as `sesame keys list` shows it: never its material.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    pub kid: String,
    pub alg: String,
    /// `current`, `next` or `retired`.
    pub state: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// When it began to sign.
    pub activated_at: Option<String>,
    /// When it stopped signing.
    pub retired_at: Option<String>,
    /// When a retired key stops being published and is deleted.
    pub deleted_after: Option<String>,
}

/// Makes, for each algorithm, a current and a next key where there is none: at every start
/// (the first one makes them all). Several instances starting at once on one database each
/// make keys, and only the first written of each is kept (one current and one next per
/// algorithm, held by unique indexes); the others read it.
pub async fn ensure(app: &App) -> Result<()> {
    for alg in Alg::ALL {
        ensure_alg(app, alg).await?;
    }
    Ok(())
}

async fn ensure_alg(app: &App, alg: Alg) -> Result<()> {
    for state in ["current", "next"] {
        let present = {
            let mut conn = app.store.read().await?;
            signing_keys::in_state(&mut conn, alg.as_str(), state)
                .await?
                .is_some()
        };
        if present {
            continue;
        }
        let fresh = generate(alg).await?;
        let mut tx = crate::work::Work::begin(app).await?;
        let written = signing_keys::insert(&mut tx, &fresh.row(alg, state)).await?;
        tx.commit().await?;
        if written {
            tracing::info!(kid = %fresh.kid, alg = alg.as_str(), state, "signing key made");
        }
    }
    Ok(())
}

/// Signs `claims` as a compact JWS with `alg`'s current key: header `{alg, kid, typ}` (`typ`
/// left out when `None`; `JWT` for ID tokens, `logout+jwt` for logout tokens). Makes the keys
/// first if this database has none yet.
pub async fn sign<T: Serialize>(
    app: &App,
    alg: Alg,
    typ: Option<&str>,
    claims: &T,
) -> Result<String> {
    Signer::current(app, alg).await?.sign(typ, claims).await
}

/// `alg`'s current key, ready to sign.
pub struct Signer {
    alg: Alg,
    kid: String,
    key: Arc<EncodingKey>,
}

impl Signer {
    /// The current key, read on a connection of its own; made first if this database has
    /// none yet.
    pub async fn current(app: &App, alg: Alg) -> Result<Signer> {
        let found = {
            let mut conn = app.store.read().await?;
            Signer::on(&mut conn, alg).await?
        };
        if let Some(signer) = found {
            return Ok(signer);
        }
        ensure_alg(app, alg).await?;
        let mut conn = app.store.read().await?;
        Signer::on(&mut conn, alg)
            .await?
            .ok_or_else(|| Error::Internal(format!("no current {} key", alg.as_str())))
    }

    /// The current key, read on `conn` (the token endpoint reads it inside the transaction
    /// that writes the tokens: one connection for both); `None` when the database has none
    /// yet, which [`Signer::current`] mends.
    pub async fn on(conn: &mut sesame_store::Conn, alg: Alg) -> Result<Option<Signer>> {
        let Some(kid) = signing_keys::current_kid(&mut *conn, alg.as_str()).await? else {
            return Ok(None);
        };
        let key = signer(conn, &kid).await?;
        Ok(Some(Signer { alg, kid, key }))
    }

    /// The compact JWS of `claims`.
    pub async fn sign<T: Serialize>(self, typ: Option<&str>, claims: &T) -> Result<String> {
        let mut header = Header::new(self.alg.jwt());
        header.kid = Some(self.kid);
        header.typ = typ.map(str::to_string);
        let key = self.key;
        let fail =
            |e: jsonwebtoken::errors::Error| Error::Internal(format!("signing a token: {e}"));
        match self.alg {
            // An RSA signature costs about two milliseconds: off the async threads.
            Alg::Rs256 => {
                let claims = serde_json::to_value(claims)
                    .map_err(|e| Error::Internal(format!("token claims: {e}")))?;
                tokio::task::spawn_blocking(move || jsonwebtoken::encode(&header, &claims, &key))
                    .await
                    .map_err(|e| Error::Internal(format!("signing a token: {e}")))?
                    .map_err(fail)
            }
            // An Ed25519 signature costs tens of microseconds: handing it to another thread
            // would cost as much.
            Alg::EdDsa => jsonwebtoken::encode(&header, claims, &key).map_err(fail),
        }
    }
}

async fn current_kid(app: &App, alg: Alg) -> Result<Option<String>> {
    let mut conn = app.store.read().await?;
    Ok(signing_keys::current_kid(&mut conn, alg.as_str()).await?)
}

/// Parsed private keys by kid. A kid is the thumbprint of its key, so an entry never goes
/// stale; a deleted key is no longer current, so never asked for again.
static SIGNERS: LazyLock<RwLock<HashMap<String, Arc<EncodingKey>>>> =
    LazyLock::new(RwLock::default);

async fn signer(conn: &mut sesame_store::Conn, kid: &str) -> Result<Arc<EncodingKey>> {
    if let Some(k) = SIGNERS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(kid)
    {
        return Ok(k.clone());
    }
    let (alg, pem) = signing_keys::private_pem(&mut *conn, kid)
        .await?
        .ok_or_else(|| Error::Internal(format!("signing key {kid} is gone")))?;
    let key = match Alg::parse(&alg) {
        Some(Alg::Rs256) => EncodingKey::from_rsa_pem(pem.as_bytes()),
        Some(Alg::EdDsa) => EncodingKey::from_ed_pem(pem.as_bytes()),
        None => return Err(Error::Internal(format!("signing key {kid}: unknown {alg}"))),
    }
    // The error says what is wrong with the key's format, never the key.
    .map_err(|e| Error::Internal(format!("signing key {kid} is damaged: {e}")))?;
    let key = Arc::new(key);
    SIGNERS
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(kid.to_string(), key.clone());
    Ok(key)
}

/// The JWKS every issuer publishes: `{"keys": [...]}` with the current keys, the next ones
/// and the retired ones still kept, each `{kid, kty, alg, use: "sig", n/e | crv/x}`.
pub async fn jwks(app: &App) -> Result<Value> {
    let mut keys = published(app, sesame_store::now_ms()).await?;
    if keys.is_empty() {
        // Not made at start (the database was unreachable then): made now.
        ensure(app).await?;
        keys = published(app, sesame_store::now_ms()).await?;
    }
    // Current keys first (a client that takes the first key takes one that signs), RS256
    // before EdDSA.
    let rank = |k: &KeyInfo| {
        let state = match k.state.as_str() {
            "current" => 0,
            "next" => 1,
            _ => 2,
        };
        (state, k.alg != "RS256")
    };
    keys.sort_by_key(rank);
    let list = keys
        .iter()
        .filter_map(|k| serde_json::from_str::<Value>(&k.public_jwk).ok())
        .collect::<Vec<_>>();
    Ok(json!({ "keys": list }))
}

async fn published(app: &App, now: i64) -> Result<Vec<KeyInfo>> {
    let mut conn = app.store.read().await?;
    Ok(signing_keys::published(&mut conn, now - RETIRED_KEEP_MS).await?)
}

/// Verifies a token signed by one of the published keys (current, next or retired and still
/// kept): its claims, or `None` when it is not one of ours (malformed, unknown or deleted
/// kid, algorithm other than the key's, bad signature) or, with `check_exp`, expired. Without
/// `check_exp` an expired token verifies: an `id_token_hint` may be long expired. Neither the
/// audience nor the issuer is checked here: the caller knows which it expects.
pub async fn verify(app: &App, jws: &str, check_exp: bool) -> Result<Option<Value>> {
    let Ok(header) = jsonwebtoken::decode_header(jws) else {
        return Ok(None);
    };
    let Some(kid) = header.kid else {
        return Ok(None);
    };
    let info = {
        let mut conn = app.store.read().await?;
        signing_keys::by_kid(&mut conn, &kid).await?
    };
    let Some(info) = info else {
        return Ok(None);
    };
    let kept_since = sesame_store::now_ms() - RETIRED_KEEP_MS;
    if info.state == "retired" && info.retired_at.is_none_or(|at| at < kept_since) {
        return Ok(None);
    }
    let Some(alg) = Alg::parse(&info.alg) else {
        return Ok(None);
    };
    if header.alg != alg.jwt() {
        return Ok(None);
    }
    let Some(key) = decoding_key(alg, &info.public_jwk) else {
        return Ok(None);
    };
    let mut validation = Validation::new(alg.jwt());
    validation.validate_exp = check_exp;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.leeway = 0;
    validation.required_spec_claims = if check_exp {
        ["exp".to_string()].into()
    } else {
        Default::default()
    };
    Ok(jsonwebtoken::decode::<Value>(jws, &key, &validation)
        .ok()
        .map(|d| d.claims))
}

fn decoding_key(alg: Alg, jwk: &str) -> Option<DecodingKey> {
    let jwk: Value = serde_json::from_str(jwk).ok()?;
    let field = |name: &str| jwk.get(name).and_then(Value::as_str);
    match alg {
        Alg::Rs256 => DecodingKey::from_rsa_components(field("n")?, field("e")?).ok(),
        Alg::EdDsa => DecodingKey::from_ed_components(field("x")?).ok(),
    }
}

/// Rotates every algorithm's keys now: the current key is retired (still published for
/// [`RETIRED_KEEP_MS`]), the next key — published since the last rotation — signs, and a
/// fresh next key is published. Then deletes the retired keys kept long enough.
pub async fn rotate(app: &App) -> Result<Rotation> {
    ensure(app).await?;
    let now = sesame_store::now_ms();
    let mut rotation = Rotation::default();
    for alg in Alg::ALL {
        if let Some(current) = current_kid(app, alg).await?
            && let Some(r) = rotate_alg(app, alg, &current, now).await?
        {
            rotation.rotated.push(r);
        }
    }
    rotation.deleted = forget_retired(app, now).await?;
    Ok(rotation)
}

/// Rotates `alg` if `current` is still its current key, in one transaction: of several
/// instances rotating at once, one does and the others find the kid changed and do nothing.
async fn rotate_alg(app: &App, alg: Alg, current: &str, now: i64) -> Result<Option<Rotated>> {
    // Made before the transaction: an RSA key takes a while, the write lock must not.
    let fresh = generate(alg).await?;
    let mut tx = crate::work::Work::begin(app).await?;
    if !signing_keys::retire(&mut tx, alg.as_str(), current, now).await? {
        return Ok(None);
    }
    let Some(promoted) = signing_keys::promote_next(&mut tx, alg.as_str(), now).await? else {
        // Rolled back on drop; ensure() makes the missing next key before a rotation.
        return Err(Error::Internal(format!(
            "no next {} key to rotate to",
            alg.as_str()
        )));
    };
    if !signing_keys::insert(&mut tx, &fresh.row(alg, "next")).await? {
        return Err(Error::Internal(format!(
            "a next {} key appeared during the rotation",
            alg.as_str()
        )));
    }
    tx.commit().await?;
    tracing::info!(
        alg = alg.as_str(),
        retired = current,
        current = %promoted,
        next = %fresh.kid,
        "signing keys rotated"
    );
    Ok(Some(Rotated {
        alg,
        retired: current.to_string(),
        current: promoted,
        next: fresh.kid,
    }))
}

async fn forget_retired(app: &App, now: i64) -> Result<u64> {
    let mut tx = crate::work::Work::begin(app).await?;
    let n = signing_keys::delete_retired_before(&mut tx, now - RETIRED_KEEP_MS).await?;
    tx.commit().await?;
    Ok(n)
}

/// One scheduled check as at `now`: makes missing keys, rotates each algorithm whose current
/// key has signed for [`ROTATE_AFTER_MS`], deletes the retired keys kept long enough.
pub async fn rotate_due(app: &App, now: i64) -> Result<Rotation> {
    ensure(app).await?;
    let mut rotation = Rotation::default();
    for alg in Alg::ALL {
        let current = {
            let mut conn = app.store.read().await?;
            signing_keys::in_state(&mut conn, alg.as_str(), "current").await?
        };
        let Some(current) = current else { continue };
        let since = current.activated_at.unwrap_or(current.created_at);
        if now - since >= ROTATE_AFTER_MS
            && let Some(r) = rotate_alg(app, alg, &current.kid, now).await?
        {
            rotation.rotated.push(r);
        }
    }
    rotation.deleted = forget_retired(app, now).await?;
    Ok(rotation)
}

/// Runs [`rotate_due`] at start and every hour until `stop` says so. Every instance runs it;
/// when several find a key due at once, one rotates (see [`rotate`]).
pub async fn run_schedule(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = rotate_due(&app, sesame_store::now_ms()).await {
            tracing::warn!(error = %e, "could not check the signing keys; trying again later");
        }
        tokio::select! {
            _ = tokio::time::sleep(CHECK_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Every key, oldest first, for the operator: never its material.
pub async fn list(app: &App) -> Result<Vec<KeyView>> {
    let mut conn = app.store.read().await?;
    let keys = signing_keys::list(&mut conn).await?;
    let time = crate::time::rfc3339;
    Ok(keys
        .into_iter()
        .map(|k| KeyView {
            deleted_after: k.retired_at.map(|at| time(at + RETIRED_KEEP_MS)),
            created_at: time(k.created_at),
            activated_at: k.activated_at.map(time),
            retired_at: k.retired_at.map(time),
            kid: k.kid,
            alg: k.alg,
            state: k.state,
        })
        .collect())
}

/// A key just made: its kid, private PKCS#8 PEM and public JWK.
struct Fresh {
    kid: String,
    private_pem: String,
    public_jwk: String,
}

impl Fresh {
    fn row<'a>(&'a self, alg: Alg, state: &'a str) -> NewKey<'a> {
        NewKey {
            kid: &self.kid,
            alg: alg.as_str(),
            state,
            private_pem: &self.private_pem,
            public_jwk: &self.public_jwk,
            now: sesame_store::now_ms(),
        }
    }
}

/// Makes a key, on a blocking thread (an RSA key takes from a tenth of a second to seconds).
async fn generate(alg: Alg) -> Result<Fresh> {
    tokio::task::spawn_blocking(move || generate_now(alg))
        .await
        .map_err(|e| Error::Internal(format!("making a signing key: {e}")))?
}

fn generate_now(alg: Alg) -> Result<Fresh> {
    use rand::TryRng;
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};
    let fail = |e: String| Error::Internal(format!("making a {} key: {e}", alg.as_str()));
    let (private_pem, public) = match alg {
        Alg::Rs256 => {
            use rsa::traits::PublicKeyParts;
            let key = rsa::PrivateKey::new(&mut rand::rngs::SysRng, RSA_BITS)
                .map_err(|e| fail(e.to_string()))?;
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| fail(e.to_string()))?;
            let n = URL_SAFE_NO_PAD.encode(key.n_bytes());
            let e = URL_SAFE_NO_PAD.encode(key.e_bytes());
            // The members RFC 7638 hashes, in its (lexicographic) order.
            (pem, json!({ "e": e, "kty": "RSA", "n": n }))
        }
        Alg::EdDsa => {
            let mut secret = ed25519_dalek::SecretKey::default();
            rand::rngs::SysRng
                .try_fill_bytes(&mut secret)
                .map_err(|e| fail(e.to_string()))?;
            let key = ed25519_dalek::SigningKey::from_bytes(&secret);
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| fail(e.to_string()))?;
            let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
            (pem, json!({ "crv": "Ed25519", "kty": "OKP", "x": x }))
        }
    };
    let kid = thumbprint(&public);
    let mut jwk = public;
    if let Value::Object(m) = &mut jwk {
        m.insert("kid".into(), kid.clone().into());
        m.insert("alg".into(), alg.as_str().into());
        m.insert("use".into(), "sig".into());
    }
    Ok(Fresh {
        kid,
        private_pem: private_pem.to_string(),
        public_jwk: jwk.to_string(),
    })
}

/// RFC 7638: SHA-256 of the required members, in lexicographic order (as `required` is
/// written), without whitespace.
fn thumbprint(required: &Value) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(required.to_string().as_bytes()))
}

#[cfg(test)]
mod tests;
