//! The list of users: search, filters by role, group and status with their counts, sorting
//! and pages.

use super::{full_name, roles_and_groups};
use crate::ApiState;
use crate::problem::ApiError;
use crate::web::{Ctx, FormErrors, Member};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sesame_app::groups::GroupView;
use sesame_app::roles::RoleView;
use sesame_app::users::Sort;
use sesame_app::users::{self, BrowseQuery, UserView};
use sesame_core::Status;
use std::collections::BTreeMap;

const PER_PAGE: i64 = 50;

/// A column of the list, with the link that sorts on it.
pub(crate) struct Column {
    pub label: String,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub sorted: &'static str,
}

pub(crate) struct StatusChip {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "web/users.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    q: String,
    role: String,
    group: String,
    status: String,
    two_factor: String,
    roles: Vec<RoleView>,
    groups: Vec<GroupView>,
    chips: Vec<StatusChip>,
    columns: Vec<Column>,
    users: Vec<UserView>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    /// Invitations not yet accepted, for those who may follow them (issue 23).
    invitations: Option<sesame_app::invitations::InvitationCounts>,
}

impl ListPage {
    /// "3 invitations waiting, 1 expired": the link to the Invitations page.
    fn invitations_line(&self, c: &sesame_app::invitations::InvitationCounts) -> String {
        sesame_app::i18n::message(
            self.ctx.lang,
            "web-users-invitations",
            &[
                ("pending", c.pending.to_string()),
                ("expired", c.expired.to_string()),
                ("failed", c.failed.to_string()),
            ],
        )
    }

    fn full_name(&self, u: &UserView) -> String {
        full_name(u)
    }

    /// A user's two-factor state in a few words (with the grace deadline's day).
    fn two_factor_label(&self, u: &UserView) -> String {
        two_factor_label(&self.ctx, u)
    }

    /// A user's status, said of one person (the filters say it of several).
    fn status_label(&self, status: &Status) -> String {
        self.ctx.t(&format!("web-state-{}", status.code()))
    }
}

/// A user's two-factor state in a few words: « Activée », « Délai jusqu’au 21 décembre 2026 »…
pub(crate) fn two_factor_label(ctx: &Ctx, u: &UserView) -> String {
    let Some(t) = &u.two_factor else {
        return String::new();
    };
    match (t.state.as_str(), &t.grace_deadline) {
        ("grace", Some(d)) => ctx.t1("web-2fa-state-grace", "date", &ctx.day(d)),
        (state, _) => ctx.t(&format!("web-2fa-state-{}", state.replace('_', "-"))),
    }
}

/// A parameter the list's links leave out: empty, or what the list does without it.
fn is_default(key: &str, value: &str) -> bool {
    matches!(
        (key, value),
        (_, "") | ("page", "1") | ("sort", "login") | ("dir", "asc")
    )
}

fn sort_of(raw: &str) -> Sort {
    match raw {
        "name" => Sort::LastName,
        "email" => Sort::Email,
        "status" => Sort::Status,
        "created" => Sort::Created,
        _ => Sort::Login,
    }
}

fn sort_code(s: Sort) -> &'static str {
    match s {
        Sort::Login => "login",
        Sort::LastName => "name",
        Sort::Email => "email",
        Sort::Status => "status",
        Sort::Created => "created",
    }
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let get = |k: &str| crate::web::query_value(query.as_deref(), k).unwrap_or_default();
    let (q, role, group, status) = (get("q"), get("role"), get("group"), get("status"));
    let two_factor = get("two_factor");
    let sort = sort_of(&get("sort"));
    let descending = get("dir") == "desc";
    let page: i64 = get("page").parse().unwrap_or(1);
    let browse = BrowseQuery {
        q: Some(q.clone()),
        role: Some(role.clone()),
        group: Some(group.clone()),
        status: Some(status.clone()),
        two_factor: Some(two_factor.clone()),
        sort,
        descending,
        page,
        per_page: PER_PAGE,
    };
    let (roles, groups) = match roles_and_groups(&s.app, &who).await {
        Ok(both) => both,
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let (found, errors, status_code) = match users::browse(&s.app, &who, &browse).await {
        Ok(b) => (b, FormErrors::default(), StatusCode::OK),
        Err(e @ sesame_app::Error::Invalid(_)) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            // The list without the filters that name nothing.
            let plain = BrowseQuery {
                per_page: PER_PAGE,
                page: 1,
                ..Default::default()
            };
            match users::browse(&s.app, &who, &plain).await {
                Ok(b) => (b, errors, api.status),
                Err(e) => return crate::web::failed(&ctx, e),
            }
        }
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let link = |over: &[(&str, String)]| {
        let mut params: BTreeMap<&str, String> = BTreeMap::new();
        for (k, v) in [
            ("q", &q),
            ("role", &role),
            ("group", &group),
            ("status", &status),
            ("two_factor", &two_factor),
        ] {
            params.insert(k, v.clone());
        }
        params.insert("sort", sort_code(sort).to_string());
        params.insert("dir", if descending { "desc" } else { "asc" }.to_string());
        for (k, v) in over {
            params.insert(k, v.clone());
        }
        let kept: Vec<(&str, String)> = params
            .into_iter()
            .filter(|(k, v)| !is_default(k, v))
            .collect();
        format!(
            "/users?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    };
    let columns = [
        (Sort::Login, "web-users-col-login"),
        (Sort::LastName, "web-users-col-name"),
        (Sort::Email, "web-users-col-email"),
        (Sort::Status, "web-users-col-status"),
        (Sort::Created, "web-users-col-created"),
    ]
    .into_iter()
    .map(|(col, label)| {
        let here = col == sort;
        let dir = if here && !descending { "desc" } else { "asc" };
        Column {
            label: ctx.t(label),
            href: link(&[
                ("sort", sort_code(col).to_string()),
                ("dir", dir.to_string()),
                ("page", "1".into()),
            ]),
            sorted: match (here, descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    let c = found.counts;
    let chips = [
        ("", c.all(), "web-status-all"),
        (Status::Active.code(), c.active, "web-status-active"),
        (Status::Invited.code(), c.invited, "web-status-invited"),
        (Status::Disabled.code(), c.disabled, "web-status-disabled"),
    ]
    .into_iter()
    .map(|(code, n, label)| StatusChip {
        label: format!("{} ({n})", ctx.t(label)),
        href: link(&[("status", code.to_string()), ("page", "1".into())]),
        current: status == code,
    })
    .collect();
    let invitations =
        match sesame_app::invitations::counts(&s.app, &who, sesame_app::time::now_ms()).await {
            Ok(c) => c,
            Err(e) => return crate::web::failed(&ctx, e),
        };
    let prev = (found.page > 1).then(|| link(&[("page", (found.page - 1).to_string())]));
    let next = (found.page < found.pages).then(|| link(&[("page", (found.page + 1).to_string())]));
    let page = ListPage {
        title: ctx.t("web-users-title"),
        errors,
        q,
        role,
        group,
        status,
        two_factor,
        roles,
        groups,
        chips,
        columns,
        users: found.items,
        total: found.total,
        page: found.page,
        pages: found.pages,
        prev,
        next,
        invitations,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status_code, html)
}
