//! Adding a person: the form (fields as the organisation requires them, roles by place,
//! groups, the invitation) and the login suggested as the names are typed.

use super::{Input, person_inputs, scopes};
use crate::ApiState;
use crate::problem::ApiError;
use crate::web::{Ctx, FormErrors, Member, Posted, field, once, read_form};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::users::{self, grantable};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "web/user_new.html")]
struct NewPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    inputs: Vec<Input>,
    language: String,
    editor: scopes::RolesEditor,
    invite: bool,
    once: String,
}

async fn new_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    values: &BTreeMap<String, Vec<String>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let offer = match grantable::offer(&s.app, who, None).await {
        Ok(o) => o,
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let fresh = values.is_empty();
    let language = match field(values, "language") {
        "" => who.org.language.code().to_string(),
        l => l.to_string(),
    };
    let once_value = match field(values, "once") {
        "" => once::new(),
        v => v.to_string(),
    };
    let page = NewPage {
        title: ctx.t("web-user-new-title"),
        inputs: person_inputs(&ctx, who, values, true),
        errors,
        language,
        editor: scopes::editor(&ctx, offer, (!fresh).then_some(values), false),
        invite: fresh || field(values, "send_invitation") == "on",
        once: once_value,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn new_form(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    // Held within groups only, the right opens the form: the groups chosen there decide (the
    // menu's rule, policy::menu).
    if let Err(e) = who.actor.may_create_somewhere() {
        return crate::web::failed(&ctx, e.into());
    }
    new_page(
        &s,
        ctx,
        &who,
        &BTreeMap::new(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The new person's roles and groups, by name, from the form's boxes (ids). Someone who may
/// add people only within their groups must choose one: said on the groups field.
async fn roles_and_groups_of(
    s: &ApiState,
    who: &sesame_app::Principal,
    form: &BTreeMap<String, Vec<String>>,
) -> Result<(Vec<users::RoleInGroup>, Vec<String>), sesame_app::Error> {
    // The right first: someone who may add nobody is refused, whatever the form holds.
    who.actor.may_create_somewhere()?;
    if who.actor.may_create("", &[]).is_err() && scopes::no_group(form) {
        let offer = grantable::offer(&s.app, who, None).await?;
        let names: Vec<String> = offer
            .memberships
            .into_iter()
            .map(|m| m.group.name)
            .collect();
        return Err(sesame_app::Error::Invalid(vec![
            sesame_core::FieldError::new("groups", "web.scopes_group_required")
                .with("groups", names.join(", ")),
        ]));
    }
    grantable::named(
        &s.app,
        who,
        &scopes::given(form),
        &scopes::ticked_groups(form),
    )
    .await
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
    let read = match roles_and_groups_of(&s, &who, &form).await {
        // The boxes send group ids under `groups`: the names they stand for replace them.
        Ok((roles, groups)) => read_form::<users::NewUser>(&form).map(|new| users::NewUser {
            roles,
            groups,
            ..new
        }),
        Err(e) => Err(e),
    };
    let new = match read {
        Ok(new) => new,
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            return match crate::web::refusal(&ctx, e) {
                Ok((errors, status)) => new_page(&s, ctx, &who, &form, errors, status).await,
                Err(page) => *page,
            };
        }
    };
    let invited = new.send_invitation;
    match users::create(&s.app, &who, new, None)
        .await
        .map_err(grantable::on_fields)
    {
        Ok(user) => {
            let done = if invited {
                "created-invited"
            } else {
                "created"
            };
            let place = format!("/users/{}?done={done}", user.id);
            once::done(&s.app, &once_value, &place).await;
            Redirect::to(&place).into_response()
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            new_page(&s, ctx, &who, &form, errors, api.status).await
        }
    }
}

#[derive(serde::Serialize)]
pub(crate) struct Suggested {
    login: String,
}

/// The login the add form suggests as the names are typed (JSON, for the page's script).
pub(crate) async fn suggest_login(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
) -> Response {
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let get = |k: &str| crate::web::query_value(query.as_deref(), k).unwrap_or_default();
    match users::suggest_login_for(
        &s.app,
        &who,
        &get("first_name"),
        &get("last_name"),
        &get("email"),
    )
    .await
    {
        Ok(login) => Json(Suggested { login }).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
