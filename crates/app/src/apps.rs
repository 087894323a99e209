//! The organisation's applications: the OpenID Connect clients (and reverse-proxied sites) that
//! sign their users in with Sésame. Administrators holding `apps.manage` register, change and
//! delete them; a confidential client's secret is shown once, at its creation or rotation, and
//! kept only as a SHA-256 hash. Every change is audited, never with the secret.
//!
//! The protocol reads them through [`find_client`] (a client of one organisation is never found
//! from another's issuer), [`Client::check_secret`], [`Client::redirect_allowed`],
//! [`Client::post_logout_allowed`] and [`may_use`]; the home page through [`tiles`]; forward
//! authentication through [`client_for_host`].

mod uris;

use crate::audit::Change;
use crate::patch::Patch;
use crate::work::Work;
use crate::{App, Error, Principal, Result, secret};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sesame_core::policy::Denied;
use sesame_core::{FieldError, Permission, Status, parse_label};
use sesame_store::apps::AppRow;
use sesame_store::{Conn, now_ms};
use uris::Kind;

/// Bounds of an access token's lifetime, in seconds: one minute to one day.
pub const ACCESS_LIFETIME_S: (i64, i64) = (60, 86_400);
/// Bounds of a refresh token's lifetime, in seconds: one hour to 365 days.
pub const REFRESH_LIFETIME_S: (i64, i64) = (3_600, 31_536_000);
/// The signing algorithms an application may ask its ID tokens in.
pub const ID_TOKEN_ALGS: [&str; 2] = ["RS256", "EdDSA"];

/// An application as the protocol reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client_id.
    pub id: String,
    pub org_id: String,
    pub name: String,
    /// A public client (mobile, desktop or single-page app) has no secret and must use PKCE.
    pub public: bool,
    /// The organisation's own application: no consent page.
    pub trusted: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    /// Host names a reverse proxy asks about for this application (forward authentication).
    pub forward_auth_hosts: Vec<String>,
    pub launch_url: Option<String>,
    pub logo_url: Option<String>,
    /// `RS256` or `EdDSA`.
    pub id_token_alg: String,
    pub access_token_lifetime_s: i64,
    pub refresh_token_lifetime_s: i64,
    /// Ids of the groups whose members may use it; empty: every active member.
    pub groups: Vec<String>,
    /// Lowercase hex SHA-256 of the secret; never leaves this module.
    secret_hash: Option<String>,
}

impl Client {
    fn of(row: AppRow, groups: Vec<String>) -> Self {
        Self {
            id: row.id,
            org_id: row.org_id,
            name: row.name,
            public: row.public,
            trusted: row.trusted,
            redirect_uris: row.redirect_uris,
            post_logout_uris: row.post_logout_uris,
            backchannel_logout_uri: row.backchannel_logout_uri,
            forward_auth_hosts: row.forward_auth_hosts,
            launch_url: row.launch_url,
            logo_url: row.logo_url,
            id_token_alg: row.id_token_alg,
            access_token_lifetime_s: row.access_token_lifetime_s,
            refresh_token_lifetime_s: row.refresh_token_lifetime_s,
            groups,
            secret_hash: row.secret_hash,
        }
    }

    /// Whether `secret` is this confidential client's secret (compared as hashes, in constant
    /// time); always `false` for a public client.
    pub fn check_secret(&self, secret: &str) -> bool {
        match (&self.secret_hash, self.public) {
            (Some(stored), false) => constant_time_eq::constant_time_eq(
                secret::hash(secret).as_bytes(),
                stored.as_bytes(),
            ),
            _ => false,
        }
    }

    /// Whether a request may send the person back to `uri`: exactly as registered; for a
    /// public client, a registered loopback redirect on an IP literal matches with any port
    /// (RFC 8252 §7.3).
    pub fn redirect_allowed(&self, uri: &str) -> bool {
        uris::redirect_matches(&self.redirect_uris, self.public, uri)
    }

    /// Whether a logout may send the person back to `uri`: exactly as registered.
    pub fn post_logout_allowed(&self, uri: &str) -> bool {
        self.post_logout_uris.iter().any(|r| r == uri)
    }
}

/// The application `client_id` of the organisation `org_id`, if it is one of its own.
pub async fn find_client(app: &App, org_id: &str, client_id: &str) -> Result<Option<Client>> {
    let mut conn = app.store.read().await?;
    load_client(&mut conn, org_id, client_id).await
}

async fn load_client(conn: &mut Conn, org_id: &str, client_id: &str) -> Result<Option<Client>> {
    let Some(row) = sesame_store::apps::get(conn, org_id, client_id).await? else {
        return Ok(None);
    };
    let groups = sesame_store::apps::groups_of(conn, org_id, &row.id).await?;
    Ok(Some(Client::of(row, groups)))
}

/// The person `user_id`, if they are an active member of `org_id`, with their groups' ids.
async fn active_member(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
) -> Result<Option<Vec<String>>> {
    match sesame_store::users::get(conn, org_id, user_id).await? {
        Some(u) if u.status == Status::Active => {
            let ids = [u.id.clone()];
            let groups = sesame_store::groups::of_users(conn, org_id, &ids).await?;
            Ok(Some(groups.into_iter().map(|(_, g)| g.id).collect()))
        }
        _ => Ok(None),
    }
}

fn may_open(restricted_to: &[String], member_of: &[String]) -> bool {
    restricted_to.is_empty() || restricted_to.iter().any(|g| member_of.contains(g))
}

/// Whether `user_id` may use `client`: an active member of its organisation, and, when the
/// application is restricted to groups, a member of one of them.
pub async fn may_use(app: &App, client: &Client, user_id: &str) -> Result<bool> {
    let mut conn = app.store.read().await?;
    Ok(active_member(&mut conn, &client.org_id, user_id)
        .await?
        .is_some_and(|groups| may_open(&client.groups, &groups)))
}

/// One application on the person's home page (« Mes applications »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tile {
    /// The client_id.
    pub id: String,
    pub name: String,
    pub launch_url: String,
    pub logo_url: Option<String>,
    /// The name's first letter, uppercase, shown when there is no logo.
    pub initial: String,
}

fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

/// The applications with a launch address that `user_id` may use, by name; none for someone
/// who is not an active member of `org_id`.
pub async fn tiles(app: &App, org_id: &str, user_id: &str) -> Result<Vec<Tile>> {
    let mut conn = app.store.read().await?;
    let Some(member_of) = active_member(&mut conn, org_id, user_id).await? else {
        return Ok(Vec::new());
    };
    let restrictions = sesame_store::apps::groups(&mut conn, org_id).await?;
    let apps = sesame_store::apps::list(&mut conn, org_id).await?;
    Ok(apps
        .into_iter()
        .filter(|a| {
            let groups: Vec<String> = restrictions
                .iter()
                .filter(|(app_id, _)| *app_id == a.id)
                .map(|(_, g)| g.clone())
                .collect();
            may_open(&groups, &member_of)
        })
        .filter_map(|a| {
            Some(Tile {
                initial: initial(&a.name),
                launch_url: a.launch_url?,
                id: a.id,
                name: a.name,
                logo_url: a.logo_url,
            })
        })
        .collect())
}

/// The application of `org_id` that lists `host` (`wiki.example.org`, or with its port) among
/// its forward-authentication hosts, compared without case; a listed host without a port
/// matches the host on any port.
pub async fn client_for_host(app: &App, org_id: &str, host: &str) -> Result<Option<Client>> {
    let host = host.trim().to_ascii_lowercase();
    let bare = strip_port(&host);
    let mut conn = app.store.read().await?;
    let found = sesame_store::apps::list(&mut conn, org_id)
        .await?
        .into_iter()
        .find(|a| {
            a.forward_auth_hosts
                .iter()
                .any(|h| *h == host || (strip_port(h) == h && h == bare))
        });
    match found {
        Some(row) => {
            let groups = sesame_store::apps::groups_of(&mut conn, org_id, &row.id).await?;
            Ok(Some(Client::of(row, groups)))
        }
        None => Ok(None),
    }
}

/// `host` without a trailing `:port` (an IPv6 literal keeps its brackets).
fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((h, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!h.contains(':') || h.ends_with(']')) =>
        {
            h
        }
        _ => host,
    }
}

// --- Administration.

/// An application as administrators read it (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppView {
    /// The client_id.
    pub client_id: String,
    pub name: String,
    /// Where the person's tile leads; none: no tile.
    pub launch_url: Option<String>,
    /// An image for the tile; none: the name's initial.
    pub logo_url: Option<String>,
    pub initial: String,
    /// A public client (mobile, desktop or single-page app): no secret, PKCE required.
    pub public: bool,
    /// The organisation's own application: no consent page.
    pub trusted: bool,
    /// Whether a secret is set (a confidential client's); the secret itself is shown only when
    /// made.
    pub has_secret: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub forward_auth_hosts: Vec<String>,
    /// `RS256` or `EdDSA`.
    pub id_token_alg: String,
    pub access_token_lifetime_s: i64,
    pub refresh_token_lifetime_s: i64,
    /// Names of the groups whose members may use it; empty: every active member.
    pub groups: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// An application just registered or changed, with its new secret when one was made (shown
/// this once: only its hash is kept).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedApp {
    #[serde(flatten)]
    pub app: AppView,
    /// The client secret, present only when it was just made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// A confidential client's new secret, shown this once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewSecret {
    pub client_id: String,
    pub client_secret: String,
}

/// What to register or change. Absent fields are left as they are (on creation: their
/// defaults); `null` clears an optional one.
///
/// Rules: `name` required, at most 80 characters, unique in the organisation whatever its case
/// or accents. `redirect_uris`: at least one; each absolute, without fragment, `https://`, or
/// `http://` on 127.0.0.1, [::1] or localhost, or — public clients only — a private-use scheme
/// with a dot (`fr.amisgest.app:/callback`). `post_logout_uris`: the same rules.
/// `backchannel_logout_uri`: `https://` or loopback `http://`. `launch_url`, `logo_url`:
/// `http(s)://`. `groups`: names or ids of the organisation's groups. `id_token_alg`: `RS256`
/// (default) or `EdDSA`. `access_token_lifetime_s`: 60–86400 (default 3600).
/// `refresh_token_lifetime_s`: 3600–31536000 (default 2592000).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub launch_url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub logo_url: Patch<String>,
    /// Default `false`: a confidential client, with a secret.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub public: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub trusted: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub redirect_uris: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub post_logout_uris: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub backchannel_logout_uri: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub forward_auth_hosts: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub groups: Patch<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub id_token_alg: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub access_token_lifetime_s: Patch<i64>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub refresh_token_lifetime_s: Patch<i64>,
}

/// Reading the applications needs the right to manage them: their addresses and groups are
/// the organisation's configuration.
fn may_read(who: &Principal) -> Result<()> {
    if who.actor.may_manage_apps() {
        Ok(())
    } else {
        Err(Error::Denied(Denied::Missing(Permission::ManageApps)))
    }
}

/// Group names by id, for the views.
async fn group_names(conn: &mut Conn, org_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sesame_store::groups::list(conn, org_id)
        .await?
        .into_iter()
        .map(|(g, _)| (g.id, g.name))
        .collect())
}

fn view(row: &AppRow, group_ids: &[String], names: &[(String, String)]) -> AppView {
    AppView {
        client_id: row.id.clone(),
        name: row.name.clone(),
        launch_url: row.launch_url.clone(),
        logo_url: row.logo_url.clone(),
        initial: initial(&row.name),
        public: row.public,
        trusted: row.trusted,
        has_secret: row.secret_hash.is_some(),
        redirect_uris: row.redirect_uris.clone(),
        post_logout_uris: row.post_logout_uris.clone(),
        backchannel_logout_uri: row.backchannel_logout_uri.clone(),
        forward_auth_hosts: row.forward_auth_hosts.clone(),
        id_token_alg: row.id_token_alg.clone(),
        access_token_lifetime_s: row.access_token_lifetime_s,
        refresh_token_lifetime_s: row.refresh_token_lifetime_s,
        groups: names
            .iter()
            .filter(|(id, _)| group_ids.contains(id))
            .map(|(_, n)| n.clone())
            .collect(),
        created_at: crate::time::rfc3339(row.created_at),
        updated_at: crate::time::rfc3339(row.updated_at),
    }
}

/// What the audit log keeps of an application: everything an administrator set, no secret.
fn audited(v: &AppView) -> serde_json::Value {
    let mut j = serde_json::to_value(v).unwrap_or_default();
    if let Some(o) = j.as_object_mut() {
        for k in ["client_id", "initial", "created_at", "updated_at"] {
            o.remove(k);
        }
    }
    j
}

/// Every application of the organisation, by name.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<AppView>> {
    may_read(who)?;
    let mut conn = app.store.read().await?;
    let org_id = who.org.id();
    let names = group_names(&mut conn, org_id).await?;
    let restrictions = sesame_store::apps::groups(&mut conn, org_id).await?;
    Ok(sesame_store::apps::list(&mut conn, org_id)
        .await?
        .iter()
        .map(|a| {
            let ids: Vec<String> = restrictions
                .iter()
                .filter(|(app_id, _)| *app_id == a.id)
                .map(|(_, g)| g.clone())
                .collect();
            view(a, &ids, &names)
        })
        .collect())
}

/// The application `id_or_name` (its client_id, or its name whatever the case and accents).
async fn find_row(conn: &mut Conn, org_id: &str, id_or_name: &str) -> Result<AppRow> {
    match sesame_store::apps::get(conn, org_id, id_or_name).await? {
        Some(a) => Ok(a),
        None => sesame_store::apps::by_name(conn, org_id, id_or_name)
            .await?
            .ok_or(Error::NotFound("app")),
    }
}

/// One application, by client_id or by name.
pub async fn get(app: &App, who: &Principal, id_or_name: &str) -> Result<AppView> {
    may_read(who)?;
    let mut conn = app.store.read().await?;
    let org_id = who.org.id();
    let row = find_row(&mut conn, org_id, id_or_name).await?;
    let ids = sesame_store::apps::groups_of(&mut conn, org_id, &row.id).await?;
    let names = group_names(&mut conn, org_id).await?;
    Ok(view(&row, &ids, &names))
}

/// A new client_id: 128 random bits as 22 URL-safe characters.
fn new_client_id() -> String {
    let bytes: [u8; 16] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new client secret and its stored hash.
fn new_secret() -> (String, String) {
    let s = secret::generate("scs_");
    let hash = secret::hash_secret(&s);
    (s.expose_secret().to_string(), hash)
}

/// Applies `input` to `row` (a new one's defaults, or the stored one), collecting every error.
/// Returns the groups' ids when they were given.
async fn apply(
    conn: &mut Conn,
    org_id: &str,
    row: &mut AppRow,
    input: &AppInput,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Vec<String>>> {
    match &input.name {
        Patch::Value(n) => match parse_label(n) {
            Ok(n) => row.name = n,
            Err(e) => errors.push(e.on("name")),
        },
        Patch::Null => errors.push(FieldError::new("name", "field.required")),
        Patch::Absent => {}
    }
    match input.public {
        Patch::Value(p) => row.public = p,
        Patch::Null => row.public = false,
        Patch::Absent => {}
    }
    match input.trusted {
        Patch::Value(t) => row.trusted = t,
        Patch::Null => row.trusted = false,
        Patch::Absent => {}
    }
    let returning = Kind::Return { public: row.public };
    // The lists are checked again when only `public` changed: a confidential client may not
    // keep a custom scheme it registered as a public one.
    let redirects = match &input.redirect_uris {
        Patch::Value(v) => v.clone(),
        Patch::Null => Vec::new(),
        Patch::Absent => row.redirect_uris.clone(),
    };
    row.redirect_uris = uris::check_all(&redirects, "redirect_uris", returning, errors);
    let post_logout = match &input.post_logout_uris {
        Patch::Value(v) => v.clone(),
        Patch::Null => Vec::new(),
        Patch::Absent => row.post_logout_uris.clone(),
    };
    row.post_logout_uris = uris::check_all(&post_logout, "post_logout_uris", returning, errors);
    let one = |patch: &Patch<String>,
               field: &str,
               kind: Kind,
               current: &Option<String>,
               errors: &mut Vec<FieldError>| match patch {
        Patch::Value(v) if !v.trim().is_empty() => match uris::check(v, field, kind) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(e);
                current.clone()
            }
        },
        Patch::Value(_) | Patch::Null => None,
        Patch::Absent => current.clone(),
    };
    row.backchannel_logout_uri = one(
        &input.backchannel_logout_uri,
        "backchannel_logout_uri",
        Kind::Called,
        &row.backchannel_logout_uri,
        errors,
    );
    row.launch_url = one(
        &input.launch_url,
        "launch_url",
        Kind::Link,
        &row.launch_url,
        errors,
    );
    row.logo_url = one(
        &input.logo_url,
        "logo_url",
        Kind::Link,
        &row.logo_url,
        errors,
    );
    match &input.forward_auth_hosts {
        Patch::Value(hosts) => {
            let mut out: Vec<String> = Vec::new();
            for (i, h) in hosts.iter().enumerate() {
                if h.trim().is_empty() {
                    continue;
                }
                match uris::check_host(h, &format!("forward_auth_hosts[{i}]")) {
                    Ok(h) if !out.contains(&h) => out.push(h),
                    Ok(_) => {}
                    Err(e) => errors.push(e),
                }
            }
            row.forward_auth_hosts = out;
        }
        Patch::Null => row.forward_auth_hosts = Vec::new(),
        Patch::Absent => {}
    }
    // An application behind forward authentication alone does not speak OpenID Connect: its
    // hosts stand for the redirect addresses it has no use for.
    if row.redirect_uris.is_empty()
        && row.forward_auth_hosts.is_empty()
        && !errors.iter().any(|e| e.field.starts_with("redirect_uris"))
    {
        errors.push(FieldError::new("redirect_uris", "app.redirect_required"));
    }
    match &input.id_token_alg {
        Patch::Value(a) => match ID_TOKEN_ALGS
            .iter()
            .find(|x| x.eq_ignore_ascii_case(a.trim()))
        {
            Some(x) => row.id_token_alg = (*x).to_string(),
            None => errors.push(
                FieldError::new("id_token_alg", "app.alg_unknown")
                    .with("value", a.trim())
                    .with("expected", ID_TOKEN_ALGS.join(", ")),
            ),
        },
        Patch::Null => row.id_token_alg = ID_TOKEN_ALGS[0].to_string(),
        Patch::Absent => {}
    }
    let lifetime = |patch: &Patch<i64>,
                    field: &str,
                    (min, max): (i64, i64),
                    default: i64,
                    current: i64,
                    errors: &mut Vec<FieldError>| match patch {
        Patch::Value(s) if (min..=max).contains(s) => *s,
        Patch::Value(s) => {
            errors.push(
                FieldError::new(field, "app.lifetime_range")
                    .with("value", s.to_string())
                    .with("min", min.to_string())
                    .with("max", max.to_string()),
            );
            current
        }
        Patch::Null => default,
        Patch::Absent => current,
    };
    row.access_token_lifetime_s = lifetime(
        &input.access_token_lifetime_s,
        "access_token_lifetime_s",
        ACCESS_LIFETIME_S,
        3_600,
        row.access_token_lifetime_s,
        errors,
    );
    row.refresh_token_lifetime_s = lifetime(
        &input.refresh_token_lifetime_s,
        "refresh_token_lifetime_s",
        REFRESH_LIFETIME_S,
        2_592_000,
        row.refresh_token_lifetime_s,
        errors,
    );
    let groups = match &input.groups {
        Patch::Value(names) => {
            let mut ids: Vec<String> = Vec::new();
            for (i, n) in names.iter().enumerate() {
                if n.trim().is_empty() {
                    continue;
                }
                let g = match sesame_store::groups::get(conn, org_id, n.trim()).await? {
                    Some(g) => Some(g),
                    None => sesame_store::groups::by_name(conn, org_id, n.trim()).await?,
                };
                match g {
                    Some(g) if !ids.contains(&g.id) => ids.push(g.id),
                    Some(_) => {}
                    None => errors.push(
                        FieldError::new(format!("groups[{i}]"), "app.group_unknown")
                            .with("value", n.trim()),
                    ),
                }
            }
            Some(ids)
        }
        Patch::Null => Some(Vec::new()),
        Patch::Absent => None,
    };
    Ok(groups)
}

fn name_taken(name: &str) -> Error {
    Error::Conflict(vec![
        FieldError::new("name", "name.taken").with("value", name),
    ])
}

/// Registers an application. A confidential client (the default) gets its secret, returned
/// this once.
pub async fn create(app: &App, who: &Principal, input: AppInput) -> Result<SavedApp> {
    let id = new_client_id();
    let allowed = who.actor.may_manage_app(&id)?;
    let org_id = who.org.id().to_string();
    let now = now_ms();
    let mut row = AppRow {
        id,
        org_id: org_id.clone(),
        name: String::new(),
        launch_url: None,
        logo_url: None,
        public: false,
        trusted: false,
        secret_hash: None,
        redirect_uris: Vec::new(),
        post_logout_uris: Vec::new(),
        backchannel_logout_uri: None,
        forward_auth_hosts: Vec::new(),
        id_token_alg: ID_TOKEN_ALGS[0].to_string(),
        access_token_lifetime_s: 3_600,
        refresh_token_lifetime_s: 2_592_000,
        created_at: now,
        updated_at: now,
    };
    let mut errors = Vec::new();
    if input.name.is_absent() {
        errors.push(FieldError::new("name", "field.required"));
    }
    let mut work = Work::begin(app).await?;
    let groups = apply(&mut work, &org_id, &mut row, &input, &mut errors)
        .await?
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if sesame_store::apps::by_name(&mut work, &org_id, &row.name)
        .await?
        .is_some()
    {
        return Err(name_taken(&row.name));
    }
    let secret = if row.public {
        None
    } else {
        let (s, hash) = new_secret();
        row.secret_hash = Some(hash);
        Some(s)
    };
    sesame_store::apps::insert(&mut work, &allowed, &row).await?;
    sesame_store::apps::set_groups(&mut work, &allowed, &groups).await?;
    let names = group_names(&mut work, &org_id).await?;
    let v = view(&row, &groups, &names);
    work.record(
        who,
        Change {
            action: "app.create",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: None,
            after: Some(audited(&v)),
        },
    )
    .await?;
    work.commit().await?;
    Ok(SavedApp {
        app: v,
        client_secret: secret,
    })
}

/// Changes an application. Made confidential, it gets a secret (returned this once); made
/// public, it loses its secret.
pub async fn update(app: &App, who: &Principal, id: &str, input: AppInput) -> Result<SavedApp> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let mut row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    let before_groups = sesame_store::apps::groups_of(&mut work, &org_id, &row.id).await?;
    let names = group_names(&mut work, &org_id).await?;
    let before = view(&row, &before_groups, &names);
    let mut errors = Vec::new();
    let groups = apply(&mut work, &org_id, &mut row, &input, &mut errors).await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(other) = sesame_store::apps::by_name(&mut work, &org_id, &row.name).await?
        && other.id != row.id
    {
        return Err(name_taken(&row.name));
    }
    let secret = match (row.public, row.secret_hash.is_some()) {
        (true, _) => {
            row.secret_hash = None;
            None
        }
        (false, false) => {
            let (s, hash) = new_secret();
            row.secret_hash = Some(hash);
            Some(s)
        }
        (false, true) => None,
    };
    row.updated_at = now_ms();
    sesame_store::apps::update(&mut work, &allowed, &row).await?;
    let groups = match groups {
        Some(g) => {
            sesame_store::apps::set_groups(&mut work, &allowed, &g).await?;
            g
        }
        None => before_groups,
    };
    let after = view(&row, &groups, &names);
    let mut after_audit = audited(&after);
    if secret.is_some()
        && let Some(o) = after_audit.as_object_mut()
    {
        o.insert("secret".into(), "new".into());
    }
    work.record(
        who,
        Change {
            action: "app.update",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: Some(audited(&before)),
            after: Some(after_audit),
        },
    )
    .await?;
    work.commit().await?;
    Ok(SavedApp {
        app: after,
        client_secret: secret,
    })
}

/// Gives a confidential client a new secret, returned this once; the old one stops working at
/// once.
pub async fn rotate_secret(app: &App, who: &Principal, id: &str) -> Result<NewSecret> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let mut row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    if row.public {
        return Err(Error::Refused(FieldError::new(
            "public",
            "app.public_no_secret",
        )));
    }
    let (s, hash) = new_secret();
    row.secret_hash = Some(hash);
    row.updated_at = now_ms();
    sesame_store::apps::update(&mut work, &allowed, &row).await?;
    work.record(
        who,
        Change {
            action: "app.secret_rotate",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: None,
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(NewSecret {
        client_id: row.id,
        client_secret: s,
    })
}

/// Deletes an application; every code and token issued to it ends with it.
pub async fn remove(app: &App, who: &Principal, id: &str) -> Result<()> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    let groups = sesame_store::apps::groups_of(&mut work, &org_id, &row.id).await?;
    let names = group_names(&mut work, &org_id).await?;
    let before = view(&row, &groups, &names);
    sesame_store::apps::delete(&mut work, &allowed).await?;
    work.record(
        who,
        Change {
            action: "app.delete",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: Some(audited(&before)),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests;
