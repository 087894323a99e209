//! Users: their view, the list, and (in `write`) every change to them.

pub(crate) mod change;
pub mod check;
pub mod grantable;
mod input;
mod write;

pub use input::{AccessChange, NewUser, UserChanges};
/// The orders a list of users can be read in.
pub use sesame_store::users::Sort;
pub(crate) use write::{
    apply as apply_fields, check_new_password, create_in, ensure_other_admin, prepare, present,
};
pub use write::{change_own_password, create, delete, disable, enable, set_password, update};

pub(crate) use crate::target::{Target, load_target, unknown_group};
use crate::{App, Error, Org, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::Status;
use sesame_core::policy::Grant;
use sesame_core::{FieldError, Phone};
use sesame_store::groups::GroupRow;
use sesame_store::roles::{HeldRole, RoleRow};
use sesame_store::users::UserRow;
use sesame_store::{Conn, now_ms, users as store_users};
use std::collections::HashMap;

/// A role as held by a user: organisation-wide when `group` is null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInGroup {
    /// The role's name (case and accents ignored), or its preset key.
    pub role: String,
    /// The group's name, or null for the whole organisation.
    #[serde(default)]
    pub group: Option<String>,
}

/// A user as the API and the CLI show them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub login: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// E.164 (`+33612345678`).
    pub phone: Option<String>,
    /// The same number in the organisation's national format (`06 12 34 56 78`).
    pub phone_national: Option<String>,
    /// `fr` or `en`.
    pub language: String,
    pub address_line: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// `invited`, `active` or `disabled`.
    #[schema(value_type = String, example = "active")]
    pub status: Status,
    pub roles: Vec<RoleInGroup>,
    /// Names of the groups the user is a member of.
    pub groups: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// A new address waiting to be confirmed from a link sent to it (in the answer to the
    /// change only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_email: Option<String>,
    /// Two-factor sign-in: on or off, required or not, and the grace deadline (in lists and
    /// when one person is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two_factor: Option<crate::grace::TwoFactorView>,
}

/// A role as held, resolved to its rows (shared: the rows of an import point to the same ones).
#[derive(Debug, Clone)]
pub(crate) struct Held {
    pub role: std::sync::Arc<RoleRow>,
    pub group: Option<std::sync::Arc<GroupRow>>,
}

impl Held {
    pub fn scope(&self) -> sesame_core::policy::Scope {
        self.group
            .as_ref()
            .map_or(sesame_core::policy::Scope::Organisation, |g| {
                sesame_core::policy::Scope::Group(g.id.clone())
            })
    }

    /// Role and group ids: two entries with the same key are the same role held.
    pub fn key(&self) -> (String, String) {
        (
            self.role.id.clone(),
            self.group
                .as_ref()
                .map(|g| g.id.clone())
                .unwrap_or_default(),
        )
    }

    pub fn grant(&self) -> Grant {
        Grant {
            role_id: self.role.id.clone(),
            permissions: crate::permissions_of(&self.role.permissions),
            scope: self.scope(),
        }
    }
}

/// The names a login is suggested from: first and last names, else the e-mail's local part.
pub(crate) fn names_for_login(u: &UserRow) -> (String, String) {
    match (&u.first_name, &u.last_name) {
        (None, None) => (
            u.email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .unwrap_or("")
                .replace(['.', '_', '+'], " "),
            String::new(),
        ),
        (f, l) => (f.clone().unwrap_or_default(), l.clone().unwrap_or_default()),
    }
}

impl Target {
    pub fn view(&self, org: &Org) -> UserView {
        view(org, &self.row, &self.held, &self.groups)
    }
}

fn view(org: &Org, u: &UserRow, held: &[HeldRole], groups: &[GroupRow]) -> UserView {
    UserView {
        id: u.id.clone(),
        login: u.login.clone(),
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        phone_national: u
            .phone
            .as_deref()
            .map(|p| Phone::from_e164(p).display(org.country)),
        phone: u.phone.clone(),
        language: u.language.clone(),
        address_line: u.address_line.clone(),
        postal_code: u.postal_code.clone(),
        city: u.city.clone(),
        status: u.status,
        roles: held
            .iter()
            .map(|h| RoleInGroup {
                role: h.role_name.clone(),
                group: h.group_name.clone(),
            })
            .collect(),
        groups: groups.iter().map(|g| g.name.clone()).collect(),
        created_at: crate::time::rfc3339(u.created_at),
        updated_at: crate::time::rfc3339(u.updated_at),
        pending_email: None,
        two_factor: None,
    }
}

/// Fills the two-factor state of these views (whose roles are those `held` says).
async fn with_two_factor(
    conn: &mut Conn,
    org: &Org,
    views: &mut [UserView],
    held: &HashMap<String, Vec<HeldRole>>,
) -> Result<()> {
    let people: Vec<(String, bool)> = views
        .iter()
        .map(|v| {
            let required = held
                .get(&v.id)
                .is_some_and(|h| h.iter().any(|r| r.requires_mfa));
            (v.id.clone(), required)
        })
        .collect();
    let mut states = crate::grace::views(conn, org, &people, now_ms()).await?;
    for v in views {
        v.two_factor = states.remove(&v.id);
    }
    Ok(())
}

/// One person's view with their two-factor state.
async fn full_view(conn: &mut Conn, org: &Org, target: &Target) -> Result<UserView> {
    let mut v = [target.view(org)];
    let held = HashMap::from([(target.row.id.clone(), target.held.clone())]);
    with_two_factor(conn, org, &mut v, &held).await?;
    let [v] = v;
    Ok(v)
}

/// Views of many users with two queries for all their roles and groups.
async fn views(conn: &mut Conn, org: &Org, rows: Vec<UserRow>) -> Result<Vec<UserView>> {
    let ids: Vec<String> = rows.iter().map(|u| u.id.clone()).collect();
    let mut held: HashMap<String, Vec<HeldRole>> = HashMap::new();
    for h in sesame_store::roles::held_by(conn, org.id(), &ids).await? {
        held.entry(h.user_id.clone()).or_default().push(h);
    }
    let mut groups: HashMap<String, Vec<GroupRow>> = HashMap::new();
    for (uid, g) in sesame_store::groups::of_users(conn, org.id(), &ids).await? {
        groups.entry(uid).or_default().push(g);
    }
    let mut out: Vec<UserView> = rows
        .iter()
        .map(|u| {
            view(
                org,
                u,
                held.get(&u.id).map_or(&[], Vec::as_slice),
                groups.get(&u.id).map_or(&[], Vec::as_slice),
            )
        })
        .collect();
    with_two_factor(conn, org, &mut out, &held).await?;
    Ok(out)
}

pub async fn get(app: &App, who: &Principal, id: &str) -> Result<UserView> {
    let mut conn = app.store.read().await?;
    let target = load_target(&mut conn, &who.org, id).await?;
    who.actor.may_view(&target.subject())?;
    full_view(&mut conn, &who.org, &target).await
}

/// What the viewer may do to one person, as the policy decides it for that person (their
/// groups, what they hold): the pages offer these actions and no other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actions {
    pub edit: bool,
    pub invite: bool,
    pub disable: bool,
    pub delete: bool,
}

/// The person `id` and what the viewer may do to them.
pub async fn get_with_actions(app: &App, who: &Principal, id: &str) -> Result<(UserView, Actions)> {
    let mut conn = app.store.read().await?;
    let target = load_target(&mut conn, &who.org, id).await?;
    let subject = target.subject();
    who.actor.may_view(&subject)?;
    let me = who.user_id() == Some(id);
    let actions = Actions {
        edit: who.actor.may_edit(&subject).is_ok(),
        invite: who.actor.may_invite(&subject).is_ok() && target.row.status != Status::Disabled,
        disable: !me && who.actor.may_disable(&subject).is_ok(),
        delete: !me && who.actor.may_delete(&subject).is_ok(),
    };
    Ok((full_view(&mut conn, &who.org, &target).await?, actions))
}

/// By login (the CLI's way of naming people), or by e-mail.
pub async fn find(app: &App, who: &Principal, login_or_email: &str) -> Result<UserView> {
    let id = id_of(app, who, login_or_email).await?;
    get(app, who, &id).await
}

pub async fn id_of(app: &App, who: &Principal, login_or_email: &str) -> Result<String> {
    let mut conn = app.store.read().await?;
    let key = sesame_core::error::trim_all(login_or_email).to_lowercase();
    let row = match store_users::by_login(&mut conn, who.org.id(), &key).await? {
        Some(u) => Some(u),
        None => store_users::by_email(&mut conn, who.org.id(), &key).await?,
    };
    row.map(|u| u.id).ok_or(Error::NotFound("user"))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Words that each start a word of the login, e-mail or names, accents and case ignored:
    /// `zoé lef` finds Zoé Lefèvre, `lefevre` finds Lefèvre-Ngô, `fevre` does not.
    pub q: Option<String>,
    /// A role's name.
    pub role: Option<String>,
    /// A group's name.
    pub group: Option<String>,
    /// `invited`, `active` or `disabled`.
    pub status: Option<String>,
    /// `with` or `without`: those who have two-factor sign-in on, or not.
    pub two_factor: Option<String>,
    /// 1–500, 50 by default.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

pub async fn list(app: &App, who: &Principal, query: &ListQuery) -> Result<UserPage> {
    let (_, visibility) = who.actor.may_list_users()?;
    let mut conn = app.store.read().await?;
    let org = &who.org;
    let words = Words {
        q: query.q.as_deref(),
        role: query.role.as_deref(),
        group: query.group.as_deref(),
        status: query.status.as_deref(),
        two_factor: query.two_factor.as_deref(),
    };
    let (mut filter, mut errors) = filter_of(&mut conn, org, &words, visibility).await?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "500"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    filter.after_login = query.cursor.clone().filter(|c| !c.is_empty());
    filter.limit = limit + 1;
    let mut rows = store_users::list(&mut conn, org.id(), &filter).await?;
    let next_cursor = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|u| u.login.clone()).unwrap_or_default()
    });
    Ok(UserPage {
        items: views(&mut conn, org, rows).await?,
        next_cursor,
    })
}

/// A list's filters as typed.
struct Words<'a> {
    q: Option<&'a str>,
    role: Option<&'a str>,
    group: Option<&'a str>,
    status: Option<&'a str>,
    two_factor: Option<&'a str>,
}

/// The store's filter for what was typed, and the errors of what names nothing.
async fn filter_of(
    conn: &mut Conn,
    org: &Org,
    w: &Words<'_>,
    visibility: sesame_core::policy::Visibility,
) -> Result<(sesame_store::users::Filter, Vec<FieldError>)> {
    let mut errors = Vec::new();
    let given = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let role_id = match given(w.role) {
        Some(name) => match find_role(conn, org, &name).await? {
            Some(r) => Some(r.id),
            None => {
                errors.push(unknown_role(conn, org, "role", &name).await?);
                None
            }
        },
        None => None,
    };
    let group_id = match given(w.group) {
        Some(name) => match sesame_store::groups::by_name(conn, org.id(), &name).await? {
            Some(g) => Some(g.id),
            None => {
                errors.push(unknown_group(conn, org, "group", &name).await?);
                None
            }
        },
        None => None,
    };
    let status = match given(w.status) {
        Some(s) => match sesame_core::Status::parse(&s) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(e.on("status"));
                None
            }
        },
        None => None,
    };
    let two_factor = match given(w.two_factor).as_deref() {
        None => None,
        Some("with") => Some(true),
        Some("without") => Some(false),
        Some(other) => {
            errors.push(
                FieldError::new("two_factor", "two_factor.filter_unknown")
                    .with("value", other)
                    .with("expected", "with, without"),
            );
            None
        }
    };
    let filter = sesame_store::users::Filter {
        two_factor,
        q: w.q.map(sesame_core::fold).filter(|q| !q.is_empty()),
        role_id,
        group_id,
        status,
        visible_groups: match visibility {
            sesame_core::policy::Visibility::All => None,
            sesame_core::policy::Visibility::Groups(g) => Some(g),
        },
        after_login: None,
        limit: 50,
    };
    Ok((filter, errors))
}

/// What the web pages' list of users asks: filters, an order and a page number.
#[derive(Debug, Clone, Default)]
pub struct BrowseQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub group: Option<String>,
    pub status: Option<String>,
    /// `with` or `without` two-factor.
    pub two_factor: Option<String>,
    pub sort: sesame_store::users::Sort,
    pub descending: bool,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

/// One page of users, with how many match in all and by status.
#[derive(Debug, Clone)]
pub struct Browse {
    pub items: Vec<UserView>,
    pub counts: sesame_store::users::StatusCounts,
    /// Matching the status asked too: what the pages are counted from.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

pub async fn browse(app: &App, who: &Principal, query: &BrowseQuery) -> Result<Browse> {
    let (_, visibility) = who.actor.may_list_users()?;
    let mut conn = app.store.read().await?;
    let org = &who.org;
    let words = Words {
        q: query.q.as_deref(),
        role: query.role.as_deref(),
        group: query.group.as_deref(),
        status: query.status.as_deref(),
        two_factor: query.two_factor.as_deref(),
    };
    let (mut filter, errors) = filter_of(&mut conn, org, &words, visibility).await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let counts = store_users::count_by_status(&mut conn, org.id(), &filter).await?;
    let total = match filter.status {
        Some(Status::Invited) => counts.invited,
        Some(Status::Active) => counts.active,
        Some(Status::Disabled) => counts.disabled,
        Some(Status::Deleted) | None => counts.all(),
    };
    let per_page = query.per_page.clamp(1, 500);
    let pages = ((total + per_page - 1) / per_page).max(1);
    let page = query.page.clamp(1, pages);
    filter.limit = per_page;
    let rows = store_users::page(
        &mut conn,
        org.id(),
        &filter,
        query.sort,
        query.descending,
        (page - 1) * per_page,
        total,
    )
    .await?;
    Ok(Browse {
        items: views(&mut conn, org, rows).await?,
        counts,
        total,
        page,
        pages,
    })
}

/// The login [`write::create`] would give someone of these names when none is typed (the
/// add form shows it, editable).
pub async fn suggest_login_for(
    app: &App,
    who: &Principal,
    first_name: &str,
    last_name: &str,
    email: &str,
) -> Result<String> {
    who.actor.may_create_somewhere()?;
    let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let row = UserRow {
        id: String::new(),
        org_id: who.org.id().to_string(),
        login: String::new(),
        email: text(email),
        first_name: text(first_name),
        last_name: text(last_name),
        phone: None,
        language: String::new(),
        address_line: None,
        postal_code: None,
        city: None,
        status: Status::Invited,
        created_at: 0,
        updated_at: 0,
    };
    let mut conn = app.store.read().await?;
    write::suggest(&mut conn, &who.org, &row).await
}

/// A role by name (case and accents ignored) or by preset key.
pub(crate) async fn find_role(conn: &mut Conn, org: &Org, name: &str) -> Result<Option<RoleRow>> {
    if let Some(r) = sesame_store::roles::by_name(conn, org.id(), name).await? {
        return Ok(Some(r));
    }
    let key = sesame_core::error::trim_all(name);
    Ok(sesame_store::roles::list(conn, org.id())
        .await?
        .into_iter()
        .find(|r| r.preset_key.as_deref() == Some(key) || r.id == key))
}

/// "No such role", listing the valid names.
pub(crate) async fn unknown_role(
    conn: &mut Conn,
    org: &Org,
    field: &str,
    name: &str,
) -> Result<FieldError> {
    let names: Vec<String> = sesame_store::roles::list(conn, org.id())
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    Ok(FieldError::new(field, "role.unknown")
        .with("value", name.trim())
        .with("expected", names.join(", ")))
}
