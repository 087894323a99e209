//! Applications as the protocol reads them: the client, its secret and addresses, and who may
//! use it.

use super::{initial, uris};
use crate::{App, Result, secret};
use serde::Serialize;
use sesame_core::Status;
use sesame_store::Conn;
use sesame_store::apps::AppRow;

/// An application as the protocol reads it. Its `Debug` leaves the secret's hash out.
#[derive(Clone, PartialEq, Eq)]
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
    /// Ids of the groups whose members may use it; empty: every active member, unless the
    /// application was restricted to groups that were all deleted since (then nobody: ask
    /// [`may_use`], which knows).
    pub groups: Vec<String>,
    pub(super) restricted: bool,
    /// Lowercase hex SHA-256 of the secret; never leaves this module.
    pub(super) secret_hash: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("name", &self.name)
            .field("public", &self.public)
            .field("trusted", &self.trusted)
            .field("redirect_uris", &self.redirect_uris)
            .field("groups", &self.groups)
            .field("restricted", &self.restricted)
            .field(
                "secret_hash",
                &self.secret_hash.as_ref().map(|_| "[REDACTED]"),
            )
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(super) fn of(row: AppRow, groups: Vec<String>) -> Self {
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
            restricted: row.restricted,
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
    Ok(sesame_store::apps::get_with_groups(conn, org_id, client_id)
        .await?
        .map(|(row, groups)| Client::of(row, groups)))
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

/// Whether a member of the groups `member_of` may open an application restricted (or not) to
/// the groups `restricted_to`.
pub(super) fn may_open(restricted: bool, restricted_to: &[String], member_of: &[String]) -> bool {
    !restricted || restricted_to.iter().any(|g| member_of.contains(g))
}

/// Whether `user_id` may use `client`: an active member of its organisation, and, when the
/// application is restricted to groups, a member of one of them.
pub async fn may_use(app: &App, client: &Client, user_id: &str) -> Result<bool> {
    let mut conn = app.store.read().await?;
    Ok(active_member(&mut conn, &client.org_id, user_id)
        .await?
        .is_some_and(|groups| may_open(client.restricted, &client.groups, &groups)))
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
            may_open(a.restricted, &groups, &member_of)
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
pub(super) fn strip_port(host: &str) -> &str {
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
