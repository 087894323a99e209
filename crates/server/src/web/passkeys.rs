//! My account → passkeys: the list (name, when added, when last used), adding one (the
//! browser's ceremony, driven by `assets/passkeys.js` through the API), renaming and removing
//! one (with the password). Under `/account/two-factor/` so that someone who must enrol in
//! two-factor first may add a passkey instead of an authenticator app.

use super::{Ctx, FormErrors, Member, Posted, field};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use sesame_app::passkeys::{self, PasskeyView, RenameInput};
use sesame_app::two_factor::PasswordInput;

#[derive(Template)]
#[template(path = "web/passkeys.html")]
struct PasskeysPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    passkeys: Vec<Row>,
    must_enrol: bool,
    /// The passkey whose form was refused (its fields show the error).
    failed: String,
    /// Where the person goes on to once a passkey is added (an application's sign-in that
    /// waited for their enrolment), or empty.
    next: String,
}

impl PasskeysPage {
    /// Where the browser goes once a passkey is added: this page, saying so, `next` kept.
    fn done_url(&self) -> String {
        let mut query = vec![("done", "passkey-added")];
        if !self.next.is_empty() {
            query.push(("next", &self.next));
        }
        format!(
            "/account/two-factor/passkeys?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        )
    }
}

/// A passkey as the page shows it: its dates already in sentences.
struct Row {
    id: String,
    name: String,
    added: String,
    used: String,
}

fn row(ctx: &Ctx, p: PasskeyView) -> Row {
    Row {
        added: ctx.t1("web-passkey-added", "when", &ctx.when(&p.created_at)),
        used: match &p.last_used_at {
            Some(u) => ctx.t1("web-passkey-used", "when", &ctx.when(u)),
            None => ctx.t("web-passkey-never-used"),
        },
        id: p.id,
        name: p.name,
    }
}

async fn page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    errors: FormErrors,
    failed: String,
    status: StatusCode,
) -> Response {
    let next = super::account::next_of(&ctx.here, None);
    let list = match passkeys::list(&s.app, who).await {
        Ok(l) => l,
        Err(e) => return super::failed(&ctx, e),
    };
    let page = PasskeysPage {
        title: ctx.t("web-passkeys-title"),
        errors,
        passkeys: list.into_iter().map(|p| row(&ctx, p)).collect(),
        must_enrol: who.must_enrol,
        failed,
        next,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    page(
        &s,
        ctx,
        &who,
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn rename(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let input = RenameInput {
        name: field(&form, "name").to_string(),
    };
    match passkeys::rename(&s.app, &who, &id, input).await {
        Ok(_) => Redirect::to("/account/two-factor/passkeys?done=passkey-renamed").into_response(),
        Err(e) => refused(&s, ctx, &who, e, id).await,
    }
}

pub(crate) async fn remove(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let input = PasswordInput {
        password: SecretString::from(field(&form, "password").to_string()),
    };
    match passkeys::remove(&s.app, &who, &id, input).await {
        Ok(()) => Redirect::to("/account/two-factor/passkeys?done=passkey-removed").into_response(),
        Err(e) => refused(&s, ctx, &who, e, id).await,
    }
}

async fn refused(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    e: sesame_app::Error,
    id: String,
) -> Response {
    let api = ApiError::from(e);
    let errors = ctx.errors(&api.errors);
    page(s, ctx, who, errors, id, api.status).await
}
