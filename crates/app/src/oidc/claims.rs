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

use crate::{App, Result};
use serde_json::{Map, Value, json};
use sesame_core::Status;

/// The claims of `user_id` that `scope` grants; `None` when the person is gone.
pub async fn of_person(
    app: &App,
    org_id: &str,
    user_id: &str,
    scope: &str,
) -> Result<Option<Map<String, Value>>> {
    let mut conn = app.store.read().await?;
    read(&mut conn, org_id, user_id, scope).await
}

/// [`of_person`] on a connection the caller holds (userinfo reads the token and the claims on
/// one).
pub async fn read(
    conn: &mut sesame_store::Conn,
    org_id: &str,
    user_id: &str,
    scope: &str,
) -> Result<Option<Map<String, Value>>> {
    let Some(user) = sesame_store::users::get(&mut *conn, org_id, user_id).await? else {
        return Ok(None);
    };
    if user.status == Status::Deleted {
        return Ok(None);
    }
    let has = |s: &str| scope.split_ascii_whitespace().any(|x| x == s);
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
        let ids = [user.id.clone()];
        let groups = sesame_store::groups::of_users(&mut *conn, org_id, &ids).await?;
        let names: Vec<&str> = groups.iter().map(|(_, g)| g.name.as_str()).collect();
        out.insert("groups".into(), json!(names));
    }
    if has("roles") {
        let ids = [user.id.clone()];
        let held = sesame_store::roles::held_by(&mut *conn, org_id, &ids).await?;
        let roles: Vec<Value> = held
            .iter()
            .map(|h| match &h.group_name {
                Some(g) => json!({ "name": h.role_name, "group": g }),
                None => json!({ "name": h.role_name }),
            })
            .collect();
        let mut names: Vec<&str> = held.iter().map(|h| h.role_name.as_str()).collect();
        names.dedup();
        out.insert("roles".into(), Value::Array(roles));
        out.insert("role_names".into(), json!(names));
    }
    Ok(Some(out))
}
