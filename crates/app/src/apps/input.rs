//! What administrators send to register or change an application, and how it is checked:
//! every refused value at once, each on its field (`redirect_uris[1]`), in both languages.

use super::{ACCESS_LIFETIME_S, ID_TOKEN_ALGS, REFRESH_LIFETIME_S, uris};
use crate::Result;
use crate::patch::Patch;
use serde::Deserialize;
use sesame_core::{FieldError, parse_label};
use sesame_store::Conn;
use sesame_store::apps::AppRow;
use uris::Kind;

/// What to register or change. Absent fields are left as they are (on creation: their
/// defaults); `null` clears an optional one.
///
/// Rules: `name` required, at most 80 characters, unique in the organisation whatever its case
/// or accents. `redirect_uris`: at least one; each absolute, without fragment, `https://`, or
/// `http://` on 127.0.0.1, [::1] or localhost, or — public clients only — a private-use scheme
/// with a dot (`fr.amisgest.app:/callback`). `post_logout_uris`: the same rules.
/// `backchannel_logout_uri`: `https://` or loopback `http://`. `launch_url`, `logo_url`:
/// `http(s)://`. `groups`: names or ids of the organisation's groups whose members may use it
/// (`[]`: every member). `id_token_alg`: `RS256` (default) or `EdDSA`.
/// `access_token_lifetime_s`: 60–86400 (default 3600). `refresh_token_lifetime_s`:
/// 3600–31536000 (default 2592000).
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

/// Applies `input` to `row` (a new one's defaults, or the stored one), collecting every error.
/// Returns the groups' ids when they were given.
pub(super) async fn apply(
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
