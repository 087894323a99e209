//! Applications: the organisation's OpenID Connect clients, for those holding `apps.manage`.
//! The list; the form to register one; an application's page to change it, renew its secret
//! and delete it (with confirmation). A new secret is shown on the page that answers the form
//! — never in an address, never again — and only its hash is kept.
//!
//! And « Mes applications »: the tiles of the applications a person may open, on the home page.

use super::{Ctx, FormErrors, Member, Posted, field, once};
use crate::ApiState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::Principal;
use sesame_app::apps::{self, AppInput, AppView, Tile};
use sesame_app::groups::{self, GroupView};
use sesame_app::patch::Patch;
use sesame_core::FieldError;
use std::collections::BTreeMap;

type Form = BTreeMap<String, Vec<String>>;

#[derive(Template)]
#[template(path = "web/apps.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    apps: Vec<AppView>,
}

impl ListPage {
    fn kind(&self, a: &AppView) -> String {
        kind_label(&self.ctx, a.public)
    }

    fn groups(&self, a: &AppView) -> String {
        groups_label(&self.ctx, a)
    }
}

fn kind_label(ctx: &Ctx, public: bool) -> String {
    ctx.t(if public {
        "web-app-public"
    } else {
        "web-app-confidential"
    })
}

fn groups_label(ctx: &Ctx, a: &AppView) -> String {
    match (a.restricted, a.groups.is_empty()) {
        (false, _) => ctx.t("web-app-groups-everyone"),
        (true, true) => ctx.t("web-app-groups-nobody"),
        (true, false) => a.groups.join(", "),
    }
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    let found = match apps::list(&s.app, &who).await {
        Ok(a) => a,
        Err(e) => return super::failed(&ctx, e),
    };
    let page = ListPage {
        title: ctx.t("web-apps-title"),
        apps: found,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(StatusCode::OK, html)
}

/// The form's values, as typed or as stored.
struct Fields {
    name: String,
    launch_url: String,
    logo_url: String,
    public: bool,
    trusted: bool,
    redirect_uris: String,
    post_logout_uris: String,
    backchannel_logout_uri: String,
    forward_auth_hosts: String,
    /// Only the members of the groups ticked (else every member).
    restricted: bool,
    /// Group ids ticked.
    groups: Vec<String>,
    id_token_alg: String,
    access_token_lifetime_s: String,
    refresh_token_lifetime_s: String,
}

impl Fields {
    fn blank() -> Self {
        Self {
            name: String::new(),
            launch_url: String::new(),
            logo_url: String::new(),
            public: false,
            trusted: false,
            redirect_uris: String::new(),
            post_logout_uris: String::new(),
            backchannel_logout_uri: String::new(),
            forward_auth_hosts: String::new(),
            restricted: false,
            groups: Vec::new(),
            id_token_alg: apps::ID_TOKEN_ALGS[0].to_string(),
            access_token_lifetime_s: "3600".into(),
            refresh_token_lifetime_s: "2592000".into(),
        }
    }

    fn stored(a: &AppView, all: &[GroupView]) -> Self {
        Self {
            name: a.name.clone(),
            launch_url: a.launch_url.clone().unwrap_or_default(),
            logo_url: a.logo_url.clone().unwrap_or_default(),
            public: a.public,
            trusted: a.trusted,
            redirect_uris: a.redirect_uris.join("\n"),
            post_logout_uris: a.post_logout_uris.join("\n"),
            backchannel_logout_uri: a.backchannel_logout_uri.clone().unwrap_or_default(),
            forward_auth_hosts: a.forward_auth_hosts.join("\n"),
            restricted: a.restricted,
            groups: all
                .iter()
                .filter(|g| a.groups.contains(&g.name))
                .map(|g| g.id.clone())
                .collect(),
            id_token_alg: a.id_token_alg.clone(),
            access_token_lifetime_s: a.access_token_lifetime_s.to_string(),
            refresh_token_lifetime_s: a.refresh_token_lifetime_s.to_string(),
        }
    }

    fn typed(form: &Form) -> Self {
        let text = |k: &str| field(form, k).to_string();
        Self {
            name: text("name"),
            launch_url: text("launch_url"),
            logo_url: text("logo_url"),
            public: field(form, "public") == "on",
            trusted: field(form, "trusted") == "on",
            redirect_uris: text("redirect_uris"),
            post_logout_uris: text("post_logout_uris"),
            backchannel_logout_uri: text("backchannel_logout_uri"),
            forward_auth_hosts: text("forward_auth_hosts"),
            restricted: field(form, "access") == "groups",
            groups: form.get("groups").cloned().unwrap_or_default(),
            id_token_alg: text("id_token_alg"),
            access_token_lifetime_s: text("access_token_lifetime_s"),
            refresh_token_lifetime_s: text("refresh_token_lifetime_s"),
        }
    }
}

/// The form as the app takes it: every field given (a page sends them all), lists one per
/// line. A lifetime that is not a number, and « only these groups » without a group ticked,
/// are refused here, on their fields.
fn input_of(form: &Form) -> Result<AppInput, sesame_app::Error> {
    let text = |k: &str| match field(form, k).trim() {
        "" => Patch::Null,
        v => Patch::Value(v.to_string()),
    };
    let lines = |k: &str| {
        Patch::Value(
            field(form, k)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        )
    };
    let mut errors = Vec::new();
    let mut number = |k: &str, (min, max): (i64, i64)| match field(form, k).trim() {
        "" => Patch::Null,
        v => match v.parse::<i64>() {
            Ok(n) => Patch::Value(n),
            Err(_) => {
                errors.push(
                    FieldError::new(k, "app.lifetime_range")
                        .with("value", v)
                        .with("min", min.to_string())
                        .with("max", max.to_string()),
                );
                Patch::Absent
            }
        },
    };
    let access = number("access_token_lifetime_s", apps::ACCESS_LIFETIME_S);
    let refresh = number("refresh_token_lifetime_s", apps::REFRESH_LIFETIME_S);
    // « Only these groups » with none ticked is said, never taken for « every member »: an
    // application whose groups were deleted stays closed until someone chooses.
    let ticked = form.get("groups").cloned().unwrap_or_default();
    let groups = match field(form, "access") {
        "groups" if ticked.is_empty() => {
            errors.push(FieldError::new("groups", "app.groups_none_ticked"));
            Patch::Absent
        }
        "groups" => Patch::Value(ticked),
        _ => Patch::Value(Vec::new()),
    };
    if !errors.is_empty() {
        return Err(sesame_app::Error::Invalid(errors));
    }
    Ok(AppInput {
        name: text("name"),
        launch_url: text("launch_url"),
        logo_url: text("logo_url"),
        public: Patch::Value(field(form, "public") == "on"),
        trusted: Patch::Value(field(form, "trusted") == "on"),
        redirect_uris: lines("redirect_uris"),
        post_logout_uris: lines("post_logout_uris"),
        backchannel_logout_uri: text("backchannel_logout_uri"),
        forward_auth_hosts: lines("forward_auth_hosts"),
        groups,
        id_token_alg: text("id_token_alg"),
        access_token_lifetime_s: access,
        refresh_token_lifetime_s: refresh,
    })
}

#[derive(Template)]
#[template(path = "web/app.html")]
struct AppPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    /// `None`: the registration form.
    app: Option<AppView>,
    f: Fields,
    all_groups: Vec<GroupView>,
    algs: Vec<&'static str>,
    /// A secret just made, shown this once.
    secret: Option<String>,
    once: String,
}

impl AppPage {
    fn ticked(&self, g: &GroupView) -> bool {
        self.f.groups.contains(&g.id)
    }

    fn kind(&self, public: &bool) -> String {
        kind_label(&self.ctx, *public)
    }
}

/// The errors of a list's items (`redirect_uris[2]`) on the list's field, as the form has one
/// box per list.
fn on_form_fields(ctx: &Ctx, errors: &[FieldError]) -> FormErrors {
    let errors: Vec<FieldError> = errors
        .iter()
        .cloned()
        .map(|mut e| {
            if let Some((base, _)) = e.field.split_once('[') {
                e.field = base.to_string();
            }
            e
        })
        .collect();
    ctx.errors(&errors)
}

/// What a refusal shows: the form again with its messages, or a page of its own (no right,
/// gone).
fn refused(ctx: &Ctx, e: sesame_app::Error) -> Result<(FormErrors, StatusCode), Box<Response>> {
    let api = crate::problem::ApiError::from(e);
    if api.status == StatusCode::NOT_FOUND || api.status == StatusCode::FORBIDDEN {
        return Err(Box::new(super::failed_api(ctx, api)));
    }
    Ok((on_form_fields(ctx, &api.errors), api.status))
}

#[allow(clippy::too_many_arguments)]
async fn app_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    app: Option<AppView>,
    typed: Option<&Form>,
    secret: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let all_groups = match groups::list(&s.app, who).await {
        Ok(g) => g,
        Err(e) => return super::failed(&ctx, e),
    };
    let f = match (typed, &app) {
        (Some(t), _) => Fields::typed(t),
        (None, Some(a)) => Fields::stored(a, &all_groups),
        (None, None) => Fields::blank(),
    };
    let page = AppPage {
        title: app
            .as_ref()
            .map_or_else(|| ctx.t("web-apps-new"), |a| a.name.clone()),
        errors,
        app,
        f,
        all_groups,
        algs: apps::ID_TOKEN_ALGS.to_vec(),
        secret,
        // A fresh one-time value unless the form sent back carries one (not a default: a
        // random value).
        once: match typed.map(|t| field(t, "once")) {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => once::new(),
        },
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn new_form(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    if let Err(e) = apps::list(&s.app, &who).await {
        return super::failed(&ctx, e);
    }
    app_page(
        &s,
        ctx,
        &who,
        None,
        None,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Registers the application, then shows its page with its secret, this once.
pub(crate) async fn create(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let once_value = field(&form, "once").to_string();
    if let Some(place) = once::claim(&s.app, &once_value).await {
        return Redirect::to(&place).into_response();
    }
    let outcome = match input_of(&form) {
        Ok(input) => apps::create(&s.app, &who, input).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(saved) => {
            once::done(
                &s.app,
                &once_value,
                &format!("/apps/{}", saved.app.client_id),
            )
            .await;
            let mut ctx = ctx;
            ctx.notice = Some(ctx.t("web-done-app-created"));
            app_page(
                &s,
                ctx,
                &who,
                Some(saved.app),
                None,
                saved.client_secret,
                FormErrors::default(),
                StatusCode::CREATED,
            )
            .await
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            match refused(&ctx, e) {
                Ok((errors, status)) => {
                    app_page(&s, ctx, &who, None, Some(&form), None, errors, status).await
                }
                Err(page) => *page,
            }
        }
    }
}

pub(crate) async fn show(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
) -> Response {
    match apps::get(&s.app, &who, &id).await {
        Ok(a) => {
            app_page(
                &s,
                ctx,
                &who,
                Some(a),
                None,
                None,
                FormErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => super::failed(&ctx, e),
    }
}

/// Saves the form; made confidential, the application's new secret is shown this once.
pub(crate) async fn save(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = match input_of(&form) {
        Ok(input) => apps::update(&s.app, &who, &id, input).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(saved) if saved.client_secret.is_some() => {
            let mut ctx = ctx;
            ctx.notice = Some(ctx.t("web-done-saved"));
            app_page(
                &s,
                ctx,
                &who,
                Some(saved.app),
                None,
                saved.client_secret,
                FormErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Ok(saved) => {
            Redirect::to(&format!("/apps/{}?done=saved", saved.app.client_id)).into_response()
        }
        Err(e) => again(&s, ctx, &who, &id, Some(&form), e).await,
    }
}

/// The application's page again, with the refusal (and what was typed, when `typed`).
async fn again(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    id: &str,
    typed: Option<&Form>,
    e: sesame_app::Error,
) -> Response {
    let (errors, status) = match refused(&ctx, e) {
        Ok(r) => r,
        Err(page) => return *page,
    };
    match apps::get(&s.app, who, id).await {
        Ok(a) => app_page(s, ctx, who, Some(a), typed, None, errors, status).await,
        Err(e) => super::failed(&ctx, e),
    }
}

/// Renews the secret and shows it, this once.
pub(crate) async fn rotate_secret(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(_form): Posted,
) -> Response {
    match apps::rotate_secret(&s.app, &who, &id).await {
        Ok(new) => match apps::get(&s.app, &who, &new.client_id).await {
            Ok(a) => {
                let mut ctx = ctx;
                ctx.notice = Some(ctx.t("web-done-app-secret"));
                app_page(
                    &s,
                    ctx,
                    &who,
                    Some(a),
                    None,
                    Some(new.client_secret),
                    FormErrors::default(),
                    StatusCode::OK,
                )
                .await
            }
            Err(e) => super::failed(&ctx, e),
        },
        Err(e) => again(&s, ctx, &who, &id, None, e).await,
    }
}

/// Deletes the application, once the box saying so is ticked.
pub(crate) async fn delete(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = if field(&form, "confirm") != "on" {
        Err(super::unconfirmed())
    } else {
        apps::remove(&s.app, &who, &id).await
    };
    match outcome {
        Ok(()) => Redirect::to("/apps?done=app-deleted").into_response(),
        Err(e) => again(&s, ctx, &who, &id, None, e).await,
    }
}

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage {
    ctx: Ctx,
    title: String,
    tiles: Vec<Tile>,
    /// Where the person would have gone without tiles.
    next: &'static str,
    next_label: String,
}

/// « Mes applications »: the home page of a signed-in person who may open at least one
/// application; `None` when there is none to show (the home page then leads on as before).
pub(crate) async fn home(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    next: &'static str,
) -> Result<Response, Ctx> {
    let Some(user_id) = who.user_id() else {
        return Err(ctx);
    };
    let tiles = match apps::tiles(&s.app, who.org.id(), user_id).await {
        Ok(t) if !t.is_empty() && !who.must_enrol => t,
        _ => return Err(ctx),
    };
    let page = HomePage {
        title: ctx.t("web-home-apps-title"),
        tiles,
        next_label: ctx.t(if next == "/users" {
            "web-nav-users"
        } else {
            "web-nav-account"
        }),
        next,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    Ok(page.ctx.page(StatusCode::OK, html))
}
