//! Groups: the organisation's facilities, rooms, distribution places… with their member counts;
//! create, rename or describe, delete with confirmation; a group's members, linking to their
//! pages. Membership itself is changed from a user's Roles tab.

use super::users::full_name;
use super::{Ctx, FormErrors, Member, Posted, field, once};
use crate::ApiState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::Principal;
use sesame_app::groups::{self, GroupInput, GroupView};
use sesame_app::patch::Patch;
use sesame_app::users::{self, BrowseQuery, UserView};
use sesame_core::Permission;
use std::collections::BTreeMap;

/// Members shown on a group's page; the users list, filtered on the group, shows them all.
const MEMBERS_SHOWN: i64 = 50;

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
    who.actor.may_manage_groups().is_ok()
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
    if let Some(place) = once::claim(&once_value).await {
        return Redirect::to(&place).into_response();
    }
    match groups::create(&s.app, &who, input_of(&form)).await {
        Ok(g) => {
            let place = format!("/groups/{}?done=group-created", g.id);
            once::done(&once_value, &place);
            Redirect::to(&place).into_response()
        }
        Err(e) => {
            once::forget(&once_value);
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
}

impl GroupPage {
    fn full_name(&self, u: &UserView) -> String {
        full_name(u)
    }

    fn status_label(&self, status: &str) -> String {
        self.ctx.t(&format!("web-state-{status}"))
    }
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
    let value = |k: &str, stored: &str| match typed {
        Some(t) => field(t, k).to_string(),
        None => stored.to_string(),
    };
    let page = GroupPage {
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

/// The forms of a group's page: `save` (name and kind) and `delete`.
pub(crate) async fn act(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path((id, action)): Path<(String, String)>,
    Posted(form): Posted,
) -> Response {
    let outcome = match action.as_str() {
        "save" => groups::update(&s.app, &who, &id, input_of(&form))
            .await
            .map(|g| format!("/groups/{}?done=saved", g.id)),
        "delete" if field(&form, "confirm") != "on" => Err(super::unconfirmed()),
        "delete" => groups::delete(&s.app, &who, &id)
            .await
            .map(|()| "/groups?done=group-deleted".to_string()),
        _ => return super::error_page(ctx.lang, StatusCode::NOT_FOUND, &ctx.t("notfound-route")),
    };
    match outcome {
        Ok(place) => Redirect::to(&place).into_response(),
        Err(e) => match super::refusal(&ctx, e) {
            Ok((errors, status)) => {
                let typed = (action == "save").then_some(&form);
                group_page(&s, ctx, &who, &id, typed, errors, status).await
            }
            Err(page) => *page,
        },
    }
}
