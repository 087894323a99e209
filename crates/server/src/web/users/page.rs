//! A person's page and its tabs — Profil, Connexion, Rôles, Accès, Notifications, Signature —
//! each tab's form a route of its own.

use super::{Input, full_name, person_inputs, scopes};
use crate::ApiState;
use crate::web::{Ctx, FormErrors, Member, Posted, field, read_form};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::auth::sessions::SessionView;
use sesame_app::users::{self, UserView, grantable};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "web/user.html")]
struct UserPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    user: UserView,
    tab: String,
    tabs: Vec<(String, String, bool)>,
    inputs: Vec<Input>,
    language: String,
    login: String,
    email: String,
    editor: scopes::RolesEditor,
    sessions: Vec<SessionView>,
    /// How many passkeys the person has (the Access tab, for those who may remove them).
    passkeys: i64,
    may_edit: bool,
    may_invite: bool,
    may_disable: bool,
    may_delete: bool,
    is_me: bool,
    /// The Notifications tab: this person's choices, read only for those who may only see them…
    alerts: Vec<sesame_app::notifications::AlertChoice>,
    /// … and as a form for those who may edit them (`may_edit`), on another person's page.
    alert_rows: Vec<crate::web::preferences::AlertRow>,
    alerts_action: String,
    /// The Signature tab, shown when this person holds the signature permission.
    signature: Option<sesame_app::signature::SignatureView>,
    /// In its editor: as stored, or as typed.
    signature_typed: String,
    signature_max: usize,
    /// The Access tab of someone invited: their invitation in words (issue 23).
    invitation: Option<String>,
}

impl UserPage {
    fn status_label(&self) -> String {
        self.ctx
            .t(&format!("web-state-{}", self.user.status.code()))
    }

    /// The person's two-factor state in a few words.
    fn two_factor_label(&self) -> String {
        super::list::two_factor_label(&self.ctx, &self.user)
    }

    /// Whether the deadline may be extended here: required, not enrolled, and the viewer may
    /// reset their two-factor.
    fn may_extend(&self) -> bool {
        self.may_disable
            && self
                .user
                .two_factor
                .as_ref()
                .is_some_and(|t| t.required && !t.enabled)
    }
}

const TABS: [(&str, &str); 6] = [
    ("profile", "web-tab-profile"),
    ("login", "web-tab-login"),
    ("roles", "web-tab-roles"),
    ("access", "web-tab-access"),
    ("notifications", "web-tab-notifications"),
    ("signature", "web-tab-signature"),
];

/// The values of a user as the forms show them.
fn values_of(u: &UserView) -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Option<&String>| {
        m.insert(k.to_string(), vec![v.cloned().unwrap_or_default()]);
    };
    put("first_name", u.first_name.as_ref());
    put("last_name", u.last_name.as_ref());
    put("email", u.email.as_ref());
    put("login", Some(&u.login));
    put("phone", u.phone_national.as_ref().or(u.phone.as_ref()));
    put("address_line", u.address_line.as_ref());
    put("postal_code", u.postal_code.as_ref());
    put("city", u.city.as_ref());
    put("language", Some(&u.language));
    m
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn user_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    id: &str,
    tab: &str,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let (user, may) = match users::get_with_actions(&s.app, who, id).await {
        Ok(found) => found,
        Err(e) => return crate::web::failed(&ctx, e),
    };
    // The signature tab only for those who may sign: without it, nothing would close their
    // e-mails.
    let signature = match sesame_app::signature::of_user(&s.app, who, &user.id).await {
        Ok(v) => v,
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let shown = |t: &str| t != "signature" || signature.is_some();
    let is_me = who.user_id() == Some(user.id.as_str());
    let tab = if TABS.iter().any(|(t, _)| *t == tab) && shown(tab) {
        tab
    } else {
        "profile"
    };
    let (alerts, alert_rows) = if tab == "notifications" {
        let theirs = match sesame_app::notifications::of_user(&s.app, who, &user.id).await {
            Ok(theirs) => theirs,
            Err(e) => return crate::web::failed(&ctx, e),
        };
        // Another person's alerts as a form for whoever may edit them (one's own are changed on
        // My account); the group filter offers the organisation's groups the editor sees.
        let rows = if may.edit && !is_me {
            match sesame_app::groups::list(&s.app, who).await {
                Ok(groups) => crate::web::preferences::alert_rows(&theirs, &groups, typed, &errors),
                Err(e) => return crate::web::failed(&ctx, e),
            }
        } else {
            Vec::new()
        };
        (theirs.alerts, rows)
    } else {
        (Vec::new(), Vec::new())
    };
    let signature_typed = match (typed, &signature) {
        (Some(t), _) if tab == "signature" => field(t, "signature").to_string(),
        (_, Some(sig)) => sig.signature.clone(),
        _ => String::new(),
    };
    let editor = if tab == "roles" {
        match grantable::offer(&s.app, who, Some(&user.id)).await {
            Ok(offer) => scopes::editor(&ctx, offer, typed, true),
            Err(e) => return crate::web::failed(&ctx, e),
        }
    } else {
        scopes::RolesEditor::default()
    };
    let sessions = if tab == "access" && may.disable {
        sesame_app::auth::sessions::list_of(&s.app, who, &user.id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let passkeys = if tab == "access" && may.disable {
        sesame_app::passkeys::count_of(&s.app, who, &user.id)
            .await
            .unwrap_or_default()
    } else {
        0
    };
    let invitation = if tab == "access" && user.status == sesame_core::Status::Invited {
        match sesame_app::invitations::of_person(&s.app, who, &user.id, sesame_app::time::now_ms())
            .await
        {
            Ok(i) => i.map(|i| crate::web::invitations::summary(&ctx, &i)),
            Err(e) => return crate::web::failed(&ctx, e),
        }
    } else {
        None
    };
    let stored = values_of(&user);
    let values = typed.unwrap_or(&stored);
    let tabs = TABS
        .iter()
        .filter(|(t, _)| shown(t))
        .map(|(t, label)| {
            (
                format!("/users/{}?tab={t}", user.id),
                ctx.t(label),
                *t == tab,
            )
        })
        .collect();
    let page = UserPage {
        title: match full_name(&user) {
            n if n.is_empty() => user.login.clone(),
            n => n,
        },
        errors,
        tab: tab.to_string(),
        tabs,
        inputs: person_inputs(&ctx, who, values, false)
            .into_iter()
            .filter(|i| i.name != "email")
            .collect(),
        language: field(values, "language").to_string(),
        login: field(values, "login").to_string(),
        email: field(values, "email").to_string(),
        editor,
        sessions,
        passkeys,
        may_edit: may.edit,
        may_invite: may.invite,
        may_disable: may.disable,
        may_delete: may.delete,
        is_me,
        alerts,
        alert_rows,
        alerts_action: format!("/users/{}/notifications", user.id),
        signature,
        signature_typed,
        signature_max: sesame_app::signature::MAX_CHARS,
        invitation,
        user,
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
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let tab = crate::web::query_value(query.as_deref(), "tab").unwrap_or_default();
    user_page(
        &s,
        ctx,
        &who,
        &id,
        &tab,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The parts of a form sent on a person's page: its tab's handler gets them.
type Sent = (State<ApiState>, Member, Path<String>, Posted);

/// Saves the Profile tab: names, phone, language, address.
pub(crate) async fn save_profile(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = match read_form::<users::UserChanges>(&form) {
        Ok(changes) => users::update(&s.app, &who, &id, changes)
            .await
            .map(|_| "saved"),
        Err(e) => Err(e),
    };
    answer(&s, ctx, &who, &id, "profile", Some(&form), outcome).await
}

/// Saves the Sign-in tab: the login and the e-mail address (a new address of an active
/// person waits for its confirmation).
pub(crate) async fn save_login(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    // An emptied login is refused on its field, as the API refuses it: a login cannot be
    // cleared.
    let changes = match read_form::<users::UserChanges>(&form) {
        Ok(changes) => changes,
        Err(e) => return answer(&s, ctx, &who, &id, "login", Some(&form), Err(e)).await,
    };
    let outcome = users::update(&s.app, &who, &id, changes).await.map(|u| {
        if u.pending_email.is_some() {
            "email-pending"
        } else {
            "saved"
        }
    });
    answer(&s, ctx, &who, &id, "login", Some(&form), outcome).await
}

/// Saves the Roles tab: the roles given and taken back, by place.
pub(crate) async fn save_roles(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let outcome = scopes::save(&s.app, &who, &id, &form).await;
    answer(&s, ctx, &who, &id, "roles", Some(&form), outcome).await
}

/// Sends an invitation (invited) or a password-reset link (active).
pub(crate) async fn send_access(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = sesame_app::access::send_access(&s.app, &who, &id)
        .await
        .map(|sent| {
            if sent.kind == "invitation" {
                "invitation-sent"
            } else {
                "reset-sent"
            }
        });
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

/// Ends every session of the person.
pub(crate) async fn end_sessions(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = sesame_app::auth::sessions::end_all_of(&s.app, &who, &id)
        .await
        .map(|_| "sessions-ended");
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

/// Turns the person's two-factor sign-in off (a lost phone).
pub(crate) async fn reset_two_factor(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = sesame_app::two_factor::reset(&s.app, &who, &id)
        .await
        .map(|_| "two-factor-reset");
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

/// Removes all of the person's passkeys (a lost or stolen device), leaving their authenticator
/// app as it is.
pub(crate) async fn remove_passkeys(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = sesame_app::passkeys::reset(&s.app, &who, &id)
        .await
        .map(|_| "passkeys-removed");
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

/// Extends the person's grace period for required two-factor: by a number of days, or to a
/// date (the date wins when both are typed).
pub(crate) async fn extend_two_factor(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), Posted(form)) = sent;
    let until = field(&form, "until").trim().to_string();
    let days: String = field(&form, "days")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let input = if !until.is_empty() {
        Ok(sesame_app::grace::ExtendInput {
            days: None,
            until: Some(until),
        })
    } else if days.is_empty() {
        Ok(sesame_app::grace::ExtendInput::default())
    } else {
        days.parse::<i64>()
            .map(|d| sesame_app::grace::ExtendInput {
                days: Some(d),
                until: None,
            })
            .map_err(|_| {
                sesame_app::Error::Invalid(vec![sesame_core::FieldError::new(
                    "days",
                    "web.not_a_number",
                )])
            })
    };
    let outcome = match input {
        Ok(input) => {
            sesame_app::grace::extend(&s.app, &who, &id, input, sesame_app::time::now_ms())
                .await
                .map(|_| "two-factor-extended")
        }
        Err(e) => Err(e),
    };
    answer(&s, ctx, &who, &id, "access", Some(&form), outcome).await
}

pub(crate) async fn disable(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = users::disable(&s.app, &who, &id).await.map(|_| "disabled");
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

pub(crate) async fn enable(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), _) = sent;
    let outcome = users::enable(&s.app, &who, &id).await.map(|_| "enabled");
    answer(&s, ctx, &who, &id, "access", None, outcome).await
}

/// Deletes (anonymises) the person, once the box saying so is ticked.
pub(crate) async fn delete(sent: Sent) -> Response {
    let (State(s), Member { ctx, who }, Path(id), Posted(form)) = sent;
    if field(&form, "confirm") != "on" {
        let e = sesame_core::FieldError::new("confirm", "web.delete_unconfirmed");
        let errors = ctx.errors(&[e]);
        return user_page(
            &s,
            ctx,
            &who,
            &id,
            "access",
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match users::delete(&s.app, &who, &id).await {
        Ok(()) => Redirect::to("/users?done=deleted").into_response(),
        Err(e) => answer(&s, ctx, &who, &id, "access", None, Err(e)).await,
    }
}

/// What a person's page answers a form of its `tab`: back to the tab saying what was `done`,
/// or the tab again with the refusal on its fields (and what was typed, when `typed`).
async fn answer(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    id: &str,
    tab: &str,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    outcome: Result<&str, sesame_app::Error>,
) -> Response {
    let place = outcome.map(|done| format!("/users/{id}?tab={tab}&done={done}"));
    crate::web::answer(ctx, place, |ctx, errors, status| {
        user_page(s, ctx, who, id, tab, typed, errors, status)
    })
    .await
}
