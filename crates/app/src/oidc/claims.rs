//! What an application learns of a person: the same claims in the ID token and at userinfo
//! (some applications read only one of them), by scope (OpenID Connect Core §5.4).
//!
//! - `openid`: `sub`, the person's stable id (never the login, which they may change);
//! - `profile`: `preferred_username` (the login), `name`, `given_name`, `family_name`, `locale`;
//! - `email`: `email`, `email_verified` (true once the account is active: activating it took
//!   a link sent to that address, or an administrator who vouched for it);
//! - `phone`: `phone_number` (E.164);
//! - `groups`: `groups`, the names of the person's groups;
//! - `roles`: `roles`, one object per role held, `{"name": "Trésorier"}` when held
//!   organisation-wide or `{"name": "Animateur", "group": "Les Lutins"}` when held in a group;
//!   and `role_names`, the names alone (for applications that map a flat list, such as
//!   WordPress's role mapping).

use crate::Result;
use serde_json::{Map, Value, json};
use sesame_core::Status;
use sesame_store::oidc::Belongings;
use sesame_store::users::UserRow;

/// The claims of `user_id` that `scope` grants; `None` when the person is gone. Two queries:
/// the person, then their groups and roles when the scope asks for them.
pub async fn read(
    conn: &mut sesame_store::Conn,
    org_id: &str,
    user_id: &str,
    scope: &str,
) -> Result<Option<Map<String, Value>>> {
    let Some(user) = sesame_store::users::get(&mut *conn, org_id, user_id).await? else {
        return Ok(None);
    };
    of(conn, &user, scope).await
}

/// The claims of `user` (a row already read) that `scope` grants; `None` when they are gone.
pub async fn of(
    conn: &mut sesame_store::Conn,
    user: &UserRow,
    scope: &str,
) -> Result<Option<Map<String, Value>>> {
    let (groups, roles) = (has(scope, "groups"), has(scope, "roles"));
    let belongings = if user.status != Status::Deleted && (groups || roles) {
        sesame_store::oidc::belongings(&mut *conn, &user.org_id, &user.id, groups, roles).await?
    } else {
        Belongings::default()
    };
    Ok(with(user, &belongings, scope))
}

fn has(scope: &str, name: &str) -> bool {
    scope.split_ascii_whitespace().any(|x| x == name)
}

/// The claims of `user`, whose groups and roles are `belongings` (read as far as `scope`
/// asks), that `scope` grants; `None` when they are gone.
pub fn with(user: &UserRow, belongings: &Belongings, scope: &str) -> Option<Map<String, Value>> {
    if user.status == Status::Deleted {
        return None;
    }
    let has = |s: &str| has(scope, s);
    let mut out = Map::new();
    out.insert("sub".into(), json!(user.id));
    if has("profile") {
        out.insert("preferred_username".into(), json!(user.login));
        let full = [user.first_name.as_deref(), user.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        out.insert(
            "name".into(),
            json!(if full.is_empty() {
                user.login.clone()
            } else {
                full
            }),
        );
        if let Some(given) = &user.first_name {
            out.insert("given_name".into(), json!(given));
        }
        if let Some(family) = &user.last_name {
            out.insert("family_name".into(), json!(family));
        }
        out.insert("locale".into(), json!(user.language));
    }
    if has("email")
        && let Some(email) = &user.email
    {
        out.insert("email".into(), json!(email));
        out.insert(
            "email_verified".into(),
            json!(user.status == Status::Active),
        );
    }
    if has("phone")
        && let Some(phone) = &user.phone
    {
        out.insert("phone_number".into(), json!(phone));
    }
    if has("groups") {
        out.insert("groups".into(), json!(belongings.groups));
    }
    if has("roles") {
        let held: Vec<Value> = belongings
            .roles
            .iter()
            .map(|(name, group)| match group {
                Some(g) => json!({ "name": name, "group": g }),
                None => json!({ "name": name }),
            })
            .collect();
        let mut names: Vec<&str> = belongings.roles.iter().map(|(n, _)| n.as_str()).collect();
        names.dedup();
        out.insert("roles".into(), Value::Array(held));
        out.insert("role_names".into(), json!(names));
    }
    Some(out)
}
