//! Roles: every role with, permission by permission, what it may do; the editor of custom
//! roles. Delegation without escalation is the app's: a person may only put into a role the
//! permissions they hold organisation-wide, so the editor shows the others disabled, with why.
//! Presets are read here, not changed: a custom role can start from one.

use super::{Ctx, FormErrors, Member, Posted, field, once};
use crate::ApiState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::Principal;
use sesame_app::patch::Patch;
use sesame_app::roles::{self, RoleInput, RoleView};
use sesame_app::users::{self, BrowseQuery};
use sesame_core::policy::Scope;
use sesame_core::{Permission, PermissionSet};
use std::collections::BTreeMap;

/// A permission as people read it: its label and what it allows.
pub(crate) struct PermissionText {
    pub code: &'static str,
    /// For element ids: the code without its dot.
    pub slug: String,
    pub label: String,
    pub explain: String,
}

fn permission_text(ctx: &Ctx, p: Permission) -> PermissionText {
    let slug = p.code().replace(['.', '_'], "-");
    let label = ctx.t(&format!("perm-{slug}"));
    let mut chars = label.chars();
    let label = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => label,
    };
    PermissionText {
        code: p.code(),
        label,
        explain: ctx.t(&format!("web-perm-explain-{slug}")),
        slug,
    }
}

fn set_of(r: &RoleView) -> PermissionSet {
    r.permissions
        .iter()
        .filter_map(|c| Permission::parse(c).ok())
        .fold(PermissionSet::EMPTY, PermissionSet::with)
}

/// What the viewer may put into a role: the permissions they hold organisation-wide.
fn grantable(who: &Principal) -> PermissionSet {
    who.actor.permissions_over(&Scope::Organisation)
}

fn may_manage(who: &Principal) -> bool {
    who.actor.may_manage_roles()
}

/// One line of the table: a permission, and whether each role grants it.
pub(crate) struct MatrixRow {
    pub text: PermissionText,
    pub granted: Vec<bool>,
}

#[derive(Template)]
#[template(path = "web/roles.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    roles: Vec<RoleView>,
    rows: Vec<MatrixRow>,
    may_manage: bool,
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    let found = match roles::list(&s.app, &who).await {
        Ok(r) => r,
        Err(e) => return super::failed(&ctx, e),
    };
    let sets: Vec<PermissionSet> = found.iter().map(set_of).collect();
    let rows = Permission::ALL
        .into_iter()
        .map(|p| MatrixRow {
            text: permission_text(&ctx, p),
            granted: sets.iter().map(|s| s.contains(p)).collect(),
        })
        .collect();
    let page = ListPage {
        title: ctx.t("web-roles-title"),
        roles: found,
        rows,
        may_manage: may_manage(&who),
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(StatusCode::OK, html)
}

/// A permission's box in the editor.
pub(crate) struct PermissionBox {
    pub text: PermissionText,
    pub checked: bool,
    /// The viewer holds it organisation-wide: they may put it into a role.
    pub grantable: bool,
}

#[derive(Template)]
#[template(path = "web/role.html")]
struct RolePage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    /// `None` for a new role.
    role: Option<RoleView>,
    /// The form is offered; otherwise `readonly_note` says why not.
    editable: bool,
    readonly_note: String,
    /// A preset may be the start of a custom role.
    may_copy: bool,
    name: String,
    description: String,
    requires: String,
    /// The roles this one may require.
    others: Vec<String>,
    boxes: Vec<PermissionBox>,
    action: String,
    once: String,
    /// Who holds the role (the first [`HOLDERS_SHOWN`], for those who may see users): the
    /// delete form says who loses it.
    holders: Vec<Holder>,
    /// The users list filtered on the role, when more hold it than are named.
    holders_href: Option<String>,
}

/// People named on the delete form; the users list, filtered on the role, shows them all.
const HOLDERS_SHOWN: i64 = 20;

/// Someone who holds the role, and where.
pub(crate) struct Holder {
    id: String,
    login: String,
    name: String,
    /// "in the whole organisation", or the groups it is held in.
    scope: String,
}

/// The first holders of `role`, for the delete form; none when the viewer may not list users.
async fn holders_of(s: &ApiState, ctx: &Ctx, who: &Principal, role: &RoleView) -> Vec<Holder> {
    if role.holders == 0 {
        return Vec::new();
    }
    let query = BrowseQuery {
        role: Some(role.name.clone()),
        per_page: HOLDERS_SHOWN,
        page: 1,
        ..Default::default()
    };
    let Ok(found) = users::browse(&s.app, who, &query).await else {
        return Vec::new();
    };
    found
        .items
        .iter()
        .map(|u| {
            let groups: Vec<&str> = u
                .roles
                .iter()
                .filter(|r| r.role == role.name)
                .map(|r| r.group.as_deref())
                .collect::<Option<Vec<&str>>>()
                .unwrap_or_default();
            Holder {
                id: u.id.clone(),
                login: u.login.clone(),
                name: super::users::full_name(u),
                scope: if groups.is_empty() {
                    ctx.t("web-role-holder-org-wide")
                } else {
                    ctx.t1("web-role-holder-in-groups", "groups", &groups.join(", "))
                },
            }
        })
        .collect()
}

/// What the form holds: typed values, or the role's own.
struct Values {
    name: String,
    description: String,
    requires: String,
    permissions: PermissionSet,
}

impl Values {
    fn of_role(r: &RoleView) -> Self {
        Values {
            name: r.name.clone(),
            description: r.description.clone(),
            requires: r.requires.clone().unwrap_or_default(),
            permissions: set_of(r),
        }
    }

    fn typed(form: &BTreeMap<String, Vec<String>>) -> Self {
        Values {
            name: field(form, "name").to_string(),
            description: field(form, "description").to_string(),
            requires: field(form, "requires").to_string(),
            permissions: form
                .get("permissions")
                .into_iter()
                .flatten()
                .filter_map(|c| Permission::parse(c).ok())
                .fold(PermissionSet::EMPTY, PermissionSet::with),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn role_page(
    ctx: Ctx,
    who: &Principal,
    all: &[RoleView],
    role: Option<RoleView>,
    holders: Vec<Holder>,
    values: Values,
    once_value: String,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let mine = grantable(who);
    let readonly_note = match &role {
        _ if !may_manage(who) => ctx.t("web-role-readonly-manage"),
        Some(r) if r.preset.is_some() => ctx.t("web-role-preset-note"),
        Some(r) if !mine.is_superset(set_of(r)) => ctx.t("web-role-readonly-outranks"),
        _ => String::new(),
    };
    let editable = readonly_note.is_empty();
    let boxes = Permission::ALL
        .into_iter()
        .map(|p| PermissionBox {
            text: permission_text(&ctx, p),
            checked: values.permissions.contains(p),
            grantable: mine.contains(p),
        })
        .collect();
    let own_id = role.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    let page = RolePage {
        title: match &role {
            Some(r) => r.name.clone(),
            None => ctx.t("web-role-new-title"),
        },
        errors,
        editable,
        readonly_note,
        may_copy: may_manage(who),
        name: values.name,
        description: values.description,
        requires: values.requires,
        others: all
            .iter()
            .filter(|r| r.id != own_id)
            .map(|r| r.name.clone())
            .collect(),
        boxes,
        action: match &role {
            Some(r) => format!("/roles/{}/save", r.id),
            None => "/roles/new".into(),
        },
        once: once_value,
        holders_href: role
            .as_ref()
            .filter(|r| usize::try_from(r.holders).unwrap_or(0) > holders.len())
            .filter(|_| !holders.is_empty())
            .map(|r| {
                format!(
                    "/users?{}",
                    serde_urlencoded::to_string([("role", &r.name)]).unwrap_or_default()
                )
            }),
        holders,
        role,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

/// `/roles/new`, or `/roles/new?from=ID` to start from another role (its permissions the
/// viewer may grant, and its description).
pub(crate) async fn new_form(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    if let Err(e) = who.actor.may_define_role("", PermissionSet::EMPTY) {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let all = match roles::list(&s.app, &who).await {
        Ok(r) => r,
        Err(e) => return super::failed(&ctx, e),
    };
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let from = super::query_value(query.as_deref(), "from").unwrap_or_default();
    let values = match all.iter().find(|r| r.id == from) {
        Some(r) => Values {
            name: String::new(),
            description: r.description.clone(),
            requires: String::new(),
            permissions: set_of(r)
                .iter()
                .filter(|p| grantable(&who).contains(*p))
                .fold(PermissionSet::EMPTY, PermissionSet::with),
        },
        None => Values {
            name: String::new(),
            description: String::new(),
            requires: String::new(),
            permissions: PermissionSet::EMPTY,
        },
    };
    role_page(
        ctx,
        &who,
        &all,
        None,
        Vec::new(),
        values,
        once::new(),
        FormErrors::default(),
        StatusCode::OK,
    )
}

fn input_of(form: &BTreeMap<String, Vec<String>>) -> RoleInput {
    RoleInput {
        name: match field(form, "name").trim() {
            "" => Patch::Null,
            v => Patch::Value(v.to_string()),
        },
        description: Patch::Value(field(form, "description").to_string()),
        permissions: Some(form.get("permissions").cloned().unwrap_or_default()),
        requires: Patch::Value(field(form, "requires").to_string()),
    }
}

/// A role's page: the role as stored, or as typed when `typed` (a refused change).
async fn existing_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    id: &str,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let all = match roles::list(&s.app, who).await {
        Ok(r) => r,
        Err(e) => return super::failed(&ctx, e),
    };
    let Some(role) = all.iter().find(|r| r.id == id).cloned() else {
        return super::failed(&ctx, sesame_app::Error::NotFound("role"));
    };
    let values = match typed {
        Some(form) => Values::typed(form),
        None => Values::of_role(&role),
    };
    let holders = holders_of(s, &ctx, who, &role).await;
    role_page(
        ctx,
        who,
        &all,
        Some(role),
        holders,
        values,
        String::new(),
        errors,
        status,
    )
}

pub(crate) async fn create(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let once_value = field(&form, "once").to_string();
    if let Some(place) = once::claim(&s.app, &once_value).await {
        return Redirect::to(&place).into_response();
    }
    match roles::create(&s.app, &who, input_of(&form)).await {
        Ok(r) => {
            let place = format!("/roles/{}?done=role-created", r.id);
            once::done(&s.app, &once_value, &place).await;
            Redirect::to(&place).into_response()
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            let (errors, status) = match super::refusal(&ctx, e) {
                Ok(shown) => shown,
                Err(page) => return *page,
            };
            let all = match roles::list(&s.app, &who).await {
                Ok(r) => r,
                Err(e) => return super::failed(&ctx, e),
            };
            let values = Values::typed(&form);
            role_page(
                ctx,
                &who,
                &all,
                None,
                Vec::new(),
                values,
                once_value,
                errors,
                status,
            )
        }
    }
}

pub(crate) async fn show(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
) -> Response {
    existing_page(
        &s,
        ctx,
        &who,
        &id,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The forms of a role's page: `save` and `delete`.
/// Saves a role's name, description, permissions and requirement.
pub(crate) async fn save(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = roles::update(&s.app, &who, &id, input_of(&form))
        .await
        .map(|r| format!("/roles/{}?done=saved", r.id));
    super::answer(ctx, outcome, |ctx, errors, status| {
        existing_page(&s, ctx, &who, &id, Some(&form), errors, status)
    })
    .await
}

/// Deletes a role, once the box saying so is ticked.
pub(crate) async fn delete(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = if field(&form, "confirm") != "on" {
        Err(super::unconfirmed())
    } else {
        roles::delete(&s.app, &who, &id)
            .await
            .map(|()| "/roles?done=role-deleted".to_string())
    };
    super::answer(ctx, outcome, |ctx, errors, status| {
        existing_page(&s, ctx, &who, &id, None, errors, status)
    })
    .await
}
