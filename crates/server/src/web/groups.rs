//! Groups: the organisation's facilities, rooms, distribution places… with their member counts;
//! create, rename or describe, delete with confirmation; a group's members, linking to their
//! pages; adding members (picked by login, e-mail or name) and removing them, for those who
//! manage the group and may act on those people (the app's checks, as on a user's Roles tab).

use super::users::full_name;
use super::{Ctx, FormErrors, Member, Posted, field, once};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::Principal;
use sesame_app::groups::{self, GroupInput, GroupView};
use sesame_app::patch::Patch;
use sesame_app::users::{self, BrowseQuery, UserView};
use sesame_core::policy::Scope;
use sesame_core::{FieldError, Permission};
use std::collections::BTreeMap;

/// Members shown on a group's page; the users list, filtered on the group, shows them all.
const MEMBERS_SHOWN: i64 = 50;
/// Up to this many people in the organisation, the add-member field proposes them all; past
/// it, the field still takes a login, an e-mail or a name.
const CHOICES_UP_TO: i64 = 300;
/// People named when a name fits several.
const CANDIDATES_SHOWN: i64 = 5;

#[derive(Template)]
#[template(path = "web/groups.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    groups: Vec<GroupView>,
    may_manage: bool,
    name: String,
    kind: String,
    once: String,
}

impl ListPage {
    /// The users list filtered on a group.
    fn members_href(&self, g: &GroupView) -> String {
        members_href(g)
    }

    /// The member counts lead to the users list for those who may see it.
    fn links_members(&self) -> bool {
        self.ctx.me.as_ref().is_some_and(|m| m.may_users)
    }
}

fn members_href(g: &GroupView) -> String {
    format!(
        "/users?{}",
        serde_urlencoded::to_string([("group", &g.name)]).unwrap_or_default()
    )
}

/// Only those who manage groups org-wide are offered the forms (the app refuses the others).
fn may_manage(who: &Principal) -> bool {
    who.actor.may_manage_groups()
}

async fn list_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let found = match groups::list(&s.app, who).await {
        Ok(g) => g,
        Err(e) => return super::failed(&ctx, e),
    };
    let typed_value = |k: &str| typed.map(|t| field(t, k).to_string()).unwrap_or_default();
    let page = ListPage {
        title: ctx.t("web-groups-title"),
        errors,
        groups: found,
        may_manage: may_manage(who),
        name: typed_value("name"),
        kind: typed_value("kind"),
        once: match typed_value("once") {
            v if v.is_empty() => once::new(),
            v => v,
        },
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    list_page(&s, ctx, &who, None, FormErrors::default(), StatusCode::OK).await
}

/// The group's fields as the app takes them: an empty kind is the default kind.
fn input_of(form: &BTreeMap<String, Vec<String>>) -> GroupInput {
    let text = |k: &str| match field(form, k).trim() {
        "" => Patch::Null,
        v => Patch::Value(v.to_string()),
    };
    GroupInput {
        name: text("name"),
        kind: text("kind"),
    }
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
    match groups::create(&s.app, &who, input_of(&form)).await {
        Ok(g) => {
            let place = format!("/groups/{}?done=group-created", g.id);
            once::done(&s.app, &once_value, &place).await;
            Redirect::to(&place).into_response()
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            match super::refusal(&ctx, e) {
                Ok((errors, status)) => list_page(&s, ctx, &who, Some(&form), errors, status).await,
                Err(page) => *page,
            }
        }
    }
}

#[derive(Template)]
#[template(path = "web/group.html")]
struct GroupPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    group: GroupView,
    name: String,
    kind: String,
    may_manage: bool,
    /// `None`: the viewer may not see users.
    members: Option<Vec<UserView>>,
    members_href: String,
    /// The add and remove forms: the viewer manages groups over this one and sees users.
    may_change_members: bool,
    /// The add-member field, as typed.
    member: String,
    /// People proposed by the add-member field: (login, full name).
    choices: Vec<(String, String)>,
}

impl GroupPage {
    fn full_name(&self, u: &UserView) -> String {
        full_name(u)
    }

    fn status_label(&self, status: &sesame_core::Status) -> String {
        self.ctx.t(&format!("web-state-{}", status.code()))
    }

    /// The roles `u` holds within this group: they end if `u` leaves it.
    fn roles_here(&self, u: &UserView) -> String {
        u.roles
            .iter()
            .filter(|r| r.group.as_deref() == Some(self.group.name.as_str()))
            .map(|r| r.role.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The accessible name of a member's remove button.
    fn remove_label(&self, u: &UserView) -> String {
        self.ctx
            .t1("web-group-member-remove-named", "login", &u.login)
    }
}

/// Whether `who` may be offered the add and remove forms of group `id` (the app decides, for
/// each person, whether they may act on them).
fn may_change_members(who: &Principal, id: &str) -> bool {
    let perms = who.actor.permissions_anywhere();
    perms.contains(Permission::ViewUsers)
        && who
            .actor
            .permissions_over(&Scope::Group(id.to_string()))
            .contains(Permission::ManageGroups)
}

/// Everyone not yet in the group, for the add-member field, when the organisation is small
/// enough for a list to help.
async fn choices(s: &ApiState, who: &Principal, group: &GroupView) -> Vec<(String, String)> {
    let count = BrowseQuery {
        per_page: 1,
        page: 1,
        ..Default::default()
    };
    match users::browse(&s.app, who, &count).await {
        Ok(b) if b.total <= CHOICES_UP_TO => {}
        _ => return Vec::new(),
    }
    let all = BrowseQuery {
        per_page: CHOICES_UP_TO,
        page: 1,
        ..Default::default()
    };
    users::browse(&s.app, who, &all)
        .await
        .map(|b| {
            b.items
                .into_iter()
                .filter(|u| !u.groups.contains(&group.name))
                .map(|u| {
                    let name = full_name(&u);
                    (u.login, name)
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn group_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    id: &str,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let group = match groups::find(&s.app, who, id).await {
        Ok(g) => g,
        Err(e) => return super::failed(&ctx, e),
    };
    let members = if who
        .actor
        .permissions_anywhere()
        .contains(Permission::ViewUsers)
    {
        let browse = BrowseQuery {
            group: Some(group.name.clone()),
            per_page: MEMBERS_SHOWN,
            page: 1,
            ..Default::default()
        };
        users::browse(&s.app, who, &browse)
            .await
            .ok()
            .map(|b| b.items)
    } else {
        None
    };
    // What was typed, for the form that was sent (the others show what is stored).
    let value = |k: &str, stored: &str| {
        typed
            .and_then(|t| t.get(k))
            .and_then(|v| v.first())
            .map_or_else(|| stored.to_string(), String::clone)
    };
    let may_change = members.is_some() && may_change_members(who, &group.id);
    let choices = if may_change {
        choices(s, who, &group).await
    } else {
        Vec::new()
    };
    let page = GroupPage {
        may_change_members: may_change,
        member: value("member", ""),
        choices,
        title: group.name.clone(),
        errors,
        name: value("name", &group.name),
        kind: value("kind", &group.kind),
        may_manage: may_manage(who),
        members,
        members_href: members_href(&group),
        group,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
) -> Response {
    group_page(
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

/// The person the add-member field names: their login or e-mail, else a name (or part of one)
/// that fits one person only. What fits no one, or several, is said on the field.
async fn pick(s: &ApiState, who: &Principal, typed: &str) -> Result<UserView, sesame_app::Error> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(FieldError::new("member", "web.member_missing").into());
    }
    match users::find(&s.app, who, typed).await {
        Err(sesame_app::Error::NotFound(_)) => {}
        found => return found,
    }
    let search = BrowseQuery {
        q: Some(typed.to_string()),
        per_page: CANDIDATES_SHOWN,
        page: 1,
        ..Default::default()
    };
    let mut fits = users::browse(&s.app, who, &search).await?;
    match fits.items.len() {
        0 => Err(FieldError::new("member", "web.member_unknown")
            .with("value", typed)
            .into()),
        1 => Ok(fits.items.remove(0)),
        _ => {
            let named: Vec<String> = fits
                .items
                .iter()
                .map(|u| match full_name(u) {
                    n if n.is_empty() => u.login.clone(),
                    n => format!("{} ({n})", u.login),
                })
                .collect();
            Err(FieldError::new("member", "web.member_ambiguous")
                .with("value", typed)
                .with("count", fits.total.to_string())
                .with("candidates", named.join(", "))
                .into())
        }
    }
}

/// Adds the person the form names; one already in the group is said so.
async fn add_member(
    s: &ApiState,
    who: &Principal,
    group: &GroupView,
    form: &BTreeMap<String, Vec<String>>,
) -> Result<String, sesame_app::Error> {
    let person = pick(s, who, field(form, "member")).await?;
    if person.groups.contains(&group.name) {
        return Err(FieldError::new("member", "web.member_already")
            .with("login", &person.login)
            .into());
    }
    groups::set_member(&s.app, who, &group.id, &person.id, true).await?;
    Ok(format!("/groups/{}?done=member-added", group.id))
}

/// The forms of a group's page: `save` (name and kind), `add-member`, `remove-member` and
/// `delete`.
/// Saves a group's name and kind.
pub(crate) async fn save(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = groups::update(&s.app, &who, &id, input_of(&form))
        .await
        .map(|g| format!("/groups/{}?done=saved", g.id));
    super::answer(ctx, outcome, |ctx, errors, status| {
        group_page(&s, ctx, &who, &id, Some(&form), errors, status)
    })
    .await
}

/// Deletes a group, once the box saying so is ticked.
pub(crate) async fn delete(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = if field(&form, "confirm") != "on" {
        Err(super::unconfirmed())
    } else {
        groups::delete(&s.app, &who, &id)
            .await
            .map(|()| "/groups?done=group-deleted".to_string())
    };
    super::answer(ctx, outcome, |ctx, errors, status| {
        group_page(&s, ctx, &who, &id, None, errors, status)
    })
    .await
}

/// Adds the person typed in the member field.
pub(crate) async fn add_member_form(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let group = match groups::find(&s.app, &who, &id).await {
        Ok(g) => g,
        Err(e) => return super::failed(&ctx, e),
    };
    let outcome = add_member(&s, &who, &group, &form).await;
    member_answer(&s, ctx, &who, &id, "member", Some(&form), outcome).await
}

/// Removes the person whose row's button was pressed.
pub(crate) async fn remove_member(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let group = match groups::find(&s.app, &who, &id).await {
        Ok(g) => g,
        Err(e) => return super::failed(&ctx, e),
    };
    let outcome = groups::set_member(&s.app, &who, &group.id, field(&form, "user"), false)
        .await
        .map(|()| format!("/groups/{}?done=member-removed", group.id));
    member_answer(&s, ctx, &who, &id, "remove", None, outcome).await
}

/// As [`super::answer`], for the add and remove forms, which say a refusal on their field (`on`)
/// rather than as a page of its own: the viewer may change members, only not this person (or
/// no such person).
async fn member_answer(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    id: &str,
    on: &str,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    outcome: Result<String, sesame_app::Error>,
) -> Response {
    match outcome {
        Ok(place) => Redirect::to(&place).into_response(),
        Err(e) => {
            let api = ApiError::from(e);
            let errors: Vec<FieldError> = api
                .errors
                .into_iter()
                .map(|mut f| {
                    if f.field.is_empty() {
                        f.field = on.to_string();
                    }
                    f
                })
                .collect();
            let errors = ctx.errors(&errors);
            group_page(s, ctx, who, id, typed, errors, api.status).await
        }
    }
}
