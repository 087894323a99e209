//! My account's preferences: which e-mail alerts I receive (each on or off, and for those that
//! allow it, from every group or only some), and my e-mail signature with a preview of how it
//! closes a message. The app decides which alerts I may receive and cleans the signature.

use super::users::Choice;
use super::{Ctx, FormErrors, Member, Posted, field};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::notifications::{
    self, AlertChoice, AlertChoiceInput, MyNotifications, MyNotificationsInput,
};
use sesame_app::patch::Patch;
use sesame_app::signature::{self, SignatureInput};
use sesame_core::FieldError;
use std::collections::BTreeMap;

/// One alert type as the form shows it.
pub(crate) struct AlertRow {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) on: bool,
    pub(crate) from_default: bool,
    pub(crate) group_filter: bool,
    /// Limited to the groups ticked.
    pub(crate) some: bool,
    pub(crate) groups: Vec<Choice>,
    /// What is wrong with its groups, or "".
    pub(crate) error: String,
}

/// The alerts as stored, or as typed when the form comes back with errors.
pub(crate) fn alert_rows(
    mine: &MyNotifications,
    groups: &[sesame_app::groups::GroupView],
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: &FormErrors,
) -> Vec<AlertRow> {
    mine.alerts
        .iter()
        .map(|a| {
            let (on, some, ticked) = match typed {
                Some(t) => (
                    field(t, &format!("on-{}", a.alert)) != "off",
                    field(t, &format!("scope-{}", a.alert)) == "some",
                    t.get(&format!("groups-{}", a.alert))
                        .cloned()
                        .unwrap_or_default(),
                ),
                None => (a.enabled, !a.groups.is_empty(), a.groups.clone()),
            };
            AlertRow {
                error: errors.of(&format!("groups-{}", a.alert)),
                key: a.alert.clone(),
                label: a.label.clone(),
                on,
                from_default: a.from_default,
                group_filter: a.group_filter,
                some,
                groups: groups
                    .iter()
                    .map(|g| Choice {
                        value: g.name.clone(),
                        label: g.name.clone(),
                        checked: ticked.iter().any(|t| t == &g.name),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "web/notifications.html")]
struct NotificationsPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    alert_rows: Vec<AlertRow>,
    alerts_action: String,
}

async fn notifications_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let (mine, groups) = match (
        notifications::mine(&s.app, who).await,
        sesame_app::groups::list(&s.app, who).await,
    ) {
        (Ok(m), Ok(g)) => (m, g),
        (Err(e), _) | (_, Err(e)) => return super::failed(&ctx, e),
    };
    let page = NotificationsPage {
        title: ctx.t("web-alerts-title"),
        alert_rows: alert_rows(&mine, &groups, typed, &errors),
        alerts_action: "/account/notifications".into(),
        errors,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show_notifications(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
) -> Response {
    notifications_page(&s, ctx, &who, None, FormErrors::default(), StatusCode::OK).await
}

/// What the form asks of one alert: on or off (a choice equal to the organisation's default,
/// never made, stays the default), and its groups where it has a filter.
fn wanted(
    a: &AlertChoice,
    form: &BTreeMap<String, Vec<String>>,
    errors: &mut Vec<FieldError>,
) -> AlertChoiceInput {
    let on = match field(form, &format!("on-{}", a.alert)) {
        "on" => true,
        "off" => false,
        _ => a.enabled,
    };
    let enabled = if a.from_default && on == a.enabled {
        Patch::Absent
    } else {
        Patch::Value(on)
    };
    let groups = if !a.group_filter {
        Patch::Absent
    } else if field(form, &format!("scope-{}", a.alert)) == "some" {
        let names = form
            .get(&format!("groups-{}", a.alert))
            .cloned()
            .unwrap_or_default();
        if names.is_empty() {
            errors.push(
                FieldError::new(format!("groups-{}", a.alert), "web.alert_groups_none")
                    .with("alert", a.label.clone()),
            );
        }
        Patch::Value(names)
    } else {
        Patch::Null
    };
    AlertChoiceInput {
        alert: a.alert.clone(),
        enabled,
        groups,
    }
}

/// What the form asks of each alert of `current`, or what is wrong with it.
fn form_input(
    current: &MyNotifications,
    form: &BTreeMap<String, Vec<String>>,
) -> Result<MyNotificationsInput, ApiError> {
    let mut errors = Vec::new();
    let alerts: Vec<AlertChoiceInput> = current
        .alerts
        .iter()
        .map(|a| wanted(a, form, &mut errors))
        .collect();
    if errors.is_empty() {
        Ok(MyNotificationsInput { alerts })
    } else {
        Err(ApiError::from(sesame_app::Error::Invalid(errors)))
    }
}

/// The app names an alert by its place in the list: the page, by its fields.
fn on_the_page(e: sesame_app::Error, keys: &[String]) -> ApiError {
    let mut api = ApiError::from(e);
    for e in &mut api.errors {
        if let Some(rest) = e.field.strip_prefix("alerts[")
            && let Some((i, what)) = rest.split_once(']')
            && let Some(key) = i.parse::<usize>().ok().and_then(|i| keys.get(i))
        {
            e.field = if what.starts_with(".groups") {
                format!("groups-{key}")
            } else {
                String::new()
            };
        }
    }
    api
}

fn keys_of(input: &MyNotificationsInput) -> Vec<String> {
    input.alerts.iter().map(|a| a.alert.clone()).collect()
}

pub(crate) async fn save_notifications(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let current = match notifications::mine(&s.app, &who).await {
        Ok(m) => m,
        Err(e) => return super::failed(&ctx, e),
    };
    let outcome = match form_input(&current, &form) {
        Ok(input) => {
            let keys = keys_of(&input);
            notifications::choose(&s.app, &who, input)
                .await
                .map_err(|e| on_the_page(e, &keys))
        }
        Err(api) => Err(api),
    };
    match outcome {
        Ok(_) => Redirect::to("/account/notifications?done=saved").into_response(),
        Err(api) => {
            let errors = ctx.errors(&api.errors);
            notifications_page(&s, ctx, &who, Some(&form), errors, api.status).await
        }
    }
}

/// The Notifications tab of someone's page: whoever may edit them sets their alerts.
pub(crate) async fn save_user_notifications(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let current = match notifications::of_user(&s.app, &who, &id).await {
        Ok(m) => m,
        Err(e) => return super::failed(&ctx, e),
    };
    let outcome = match form_input(&current, &form) {
        Ok(input) => {
            let keys = keys_of(&input);
            notifications::choose_for(&s.app, &who, &id, input)
                .await
                .map_err(|e| on_the_page(e, &keys))
        }
        Err(api) => Err(api),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/users/{id}?tab=notifications&done=saved")).into_response(),
        Err(api) if api.status == StatusCode::NOT_FOUND || api.status == StatusCode::FORBIDDEN => {
            super::failed_api(&ctx, api)
        }
        Err(api) => {
            let errors = ctx.errors(&api.errors);
            let (tab, status) = ("notifications", api.status);
            super::users::user_page(&s, ctx, &who, &id, tab, Some(&form), errors, status).await
        }
    }
}

/// The Signature tab of someone's page: whoever may edit them sets it, when their roles allow
/// one.
pub(crate) async fn save_user_signature(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let input = SignatureInput {
        signature: field(&form, "signature").to_string(),
    };
    match signature::set_for(&s.app, &who, &id, input).await {
        Ok(_) => Redirect::to(&format!("/users/{id}?tab=signature&done=saved")).into_response(),
        Err(e) => {
            let api = ApiError::from(e);
            if api.status == StatusCode::NOT_FOUND || api.status == StatusCode::FORBIDDEN {
                return super::failed_api(&ctx, api);
            }
            let errors = ctx.errors(&api.errors);
            let (tab, status) = ("signature", api.status);
            super::users::user_page(&s, ctx, &who, &id, tab, Some(&form), errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "web/signature.html")]
struct SignaturePage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    /// In the editor: as stored, or as typed.
    signature: String,
    /// How it closes an HTML e-mail (already cleaned by the app) and a plain-text one.
    preview_html: String,
    preview_text: String,
    /// The preview is of what was typed, not yet saved.
    unsaved: bool,
    max: usize,
}

fn signature_page(ctx: Ctx, fill: impl FnOnce(&mut SignaturePage), status: StatusCode) -> Response {
    let mut page = SignaturePage {
        title: ctx.t("web-signature-title"),
        errors: FormErrors::default(),
        signature: String::new(),
        preview_html: String::new(),
        preview_text: String::new(),
        unsaved: false,
        max: signature::MAX_CHARS,
        ctx,
    };
    fill(&mut page);
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show_signature(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
) -> Response {
    match signature::mine(&s.app, &who).await {
        Ok(v) => signature_page(
            ctx,
            |p| {
                p.signature = v.signature;
                p.preview_html = v.html;
                p.preview_text = v.text;
            },
            StatusCode::OK,
        ),
        Err(e) => super::failed(&ctx, e),
    }
}

pub(crate) async fn save_signature(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    // The permission first: someone without it learns nothing from a preview either.
    if let Err(e) = signature::mine(&s.app, &who).await {
        return super::failed(&ctx, e);
    }
    let typed = field(&form, "signature").to_string();
    let outcome = if field(&form, "action") == "preview" {
        signature::clean(&typed).map(|stored| Some(signature::render(&stored)))
    } else {
        signature::set(
            &s.app,
            &who,
            SignatureInput {
                signature: typed.clone(),
            },
        )
        .await
        .map(|_| None)
    };
    match outcome {
        Ok(None) => Redirect::to("/account/signature?done=signature-saved").into_response(),
        Ok(Some(preview)) => signature_page(
            ctx,
            |p| {
                p.signature = typed;
                p.preview_html = preview.html;
                p.preview_text = preview.text;
                p.unsaved = true;
            },
            StatusCode::OK,
        ),
        Err(e) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            signature_page(
                ctx,
                |p| {
                    p.errors = errors;
                    p.signature = typed;
                },
                api.status,
            )
        }
    }
}
