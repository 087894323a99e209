//! Users: the list (search, filters, sorting, pages, counts), the add form, and a user's page
//! with its tabs — Profil, Connexion, Rôles, Accès, Notifications, Signature — as the seed
//! pages describe them.

mod scopes;

use super::{Ctx, FormErrors, Member, Posted, field, once};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::auth::sessions::SessionView;
use sesame_app::groups::GroupView;
use sesame_app::patch::Patch;
use sesame_app::roles::RoleView;
use sesame_app::users::Sort;
use sesame_app::users::check::RawFields;
use sesame_app::users::{self, BrowseQuery, UserView, grantable};
use sesame_core::Status;
use sesame_core::{Permission, UserField};
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
}

impl ListPage {
    fn full_name(&self, u: &UserView) -> String {
        full_name(u)
    }

    /// A user's status, said of one person (the filters say it of several).
    fn status_label(&self, status: &Status) -> String {
        self.ctx.t(&format!("web-state-{}", status.code()))
    }
}

pub(crate) fn full_name(u: &UserView) -> String {
    [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
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
    let get = |k: &str| super::query_value(query.as_deref(), k).unwrap_or_default();
    let (q, role, group, status) = (get("q"), get("role"), get("group"), get("status"));
    let sort = sort_of(&get("sort"));
    let descending = get("dir") == "desc";
    let page: i64 = get("page").parse().unwrap_or(1);
    let browse = BrowseQuery {
        q: Some(q.clone()),
        role: Some(role.clone()),
        group: Some(group.clone()),
        status: Some(status.clone()),
        sort,
        descending,
        page,
        per_page: PER_PAGE,
    };
    let (roles, groups) = match roles_and_groups(&s.app, &who).await {
        Ok(both) => both,
        Err(e) => return super::failed(&ctx, e),
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
                Err(e) => return super::failed(&ctx, e),
            }
        }
        Err(e) => return super::failed(&ctx, e),
    };
    let link = |over: &[(&str, String)]| {
        let mut params: BTreeMap<&str, String> = BTreeMap::new();
        for (k, v) in [
            ("q", &q),
            ("role", &role),
            ("group", &group),
            ("status", &status),
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
    let prev = (found.page > 1).then(|| link(&[("page", (found.page - 1).to_string())]));
    let next = (found.page < found.pages).then(|| link(&[("page", (found.page + 1).to_string())]));
    let page = ListPage {
        title: ctx.t("web-users-title"),
        errors,
        q,
        role,
        group,
        status,
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
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status_code, html)
}

/// A field of the add and profile forms.
pub(crate) struct Input {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub required: bool,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: String,
}

/// The person's fields as forms show them, required ones marked as this organisation says.
fn person_inputs(
    ctx: &Ctx,
    who: &sesame_app::Principal,
    values: &BTreeMap<String, Vec<String>>,
    with_login: bool,
) -> Vec<Input> {
    let org = &who.org;
    let v = |k: &str| field(values, k).to_string();
    let mut out = vec![
        Input {
            name: "first_name",
            label: ctx.t("web-field-first-name"),
            value: v("first_name"),
            required: org.requires(UserField::FirstName),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "last_name",
            label: ctx.t("web-field-last-name"),
            value: v("last_name"),
            required: org.requires(UserField::LastName),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "email",
            label: ctx.t("web-field-email"),
            value: v("email"),
            required: org.requires(UserField::Email),
            kind: "email",
            autocomplete: "off",
            hint: ctx.t("web-field-email-hint"),
        },
    ];
    if with_login {
        out.push(Input {
            name: "login",
            label: ctx.t("web-field-login"),
            value: v("login"),
            required: false,
            kind: "text",
            autocomplete: "off",
            hint: ctx.t("web-field-login-hint"),
        });
    }
    out.extend([
        Input {
            name: "phone",
            label: ctx.t("web-field-phone"),
            value: v("phone"),
            required: org.requires(UserField::Phone),
            kind: "tel",
            autocomplete: "off",
            hint: ctx.t("web-field-phone-hint"),
        },
        Input {
            name: "address_line",
            label: ctx.t("web-field-address"),
            value: v("address_line"),
            required: org.requires(UserField::Address),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "postal_code",
            label: ctx.t("web-field-postal-code"),
            value: v("postal_code"),
            required: false,
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "city",
            label: ctx.t("web-field-city"),
            value: v("city"),
            required: org.requires(UserField::Address),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
    ]);
    out
}

/// A choice among groups, ticked or not.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The organisation's roles and groups, as the filters and the forms offer them.
async fn roles_and_groups(
    app: &sesame_app::App,
    who: &sesame_app::Principal,
) -> Result<(Vec<RoleView>, Vec<GroupView>), sesame_app::Error> {
    Ok((
        sesame_app::roles::list(app, who).await?,
        sesame_app::groups::list(app, who).await?,
    ))
}

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
        Err(e) => return super::failed(&ctx, e),
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
    if let Err(e) = may_add_someone(&who) {
        return super::failed(&ctx, e);
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

/// A text field as a change: empty leaves it (on creation: no value).
fn given(form: &BTreeMap<String, Vec<String>>, key: &str) -> Patch<String> {
    match field(form, key).trim() {
        "" => Patch::Absent,
        v => Patch::Value(v.to_string()),
    }
}

/// A text field of an edit form: empty clears it.
fn edited(form: &BTreeMap<String, Vec<String>>, key: &str) -> Patch<String> {
    if !form.contains_key(key) {
        return Patch::Absent;
    }
    match field(form, key).trim() {
        "" => Patch::Null,
        v => Patch::Value(v.to_string()),
    }
}

/// Adding people: anywhere, or within at least one group (someone who manages a facility adds
/// its staff).
fn may_add_someone(who: &sesame_app::Principal) -> Result<(), sesame_app::Error> {
    // Held within groups only, the right opens the form: the groups chosen there decide (the
    // menu's rule, policy::menu).
    if who.actor.may_create_somewhere() {
        Ok(())
    } else {
        let missing = sesame_core::policy::Denied::Missing(Permission::CreateUsers);
        Err(missing.into())
    }
}

/// The new person's roles and groups, by name, from the form's boxes (ids). Someone who may
/// add people only within their groups must choose one: said on the groups field.
async fn roles_and_groups_of(
    s: &ApiState,
    who: &sesame_app::Principal,
    form: &BTreeMap<String, Vec<String>>,
) -> Result<(Vec<users::RoleInGroup>, Vec<String>), sesame_app::Error> {
    // The right first: someone who may add nobody is refused, whatever the form holds.
    may_add_someone(who)?;
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
    let (roles, groups) = match roles_and_groups_of(&s, &who, &form).await {
        Ok(both) => both,
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            return match super::refusal(&ctx, e) {
                Ok((errors, status)) => new_page(&s, ctx, &who, &form, errors, status).await,
                Err(page) => *page,
            };
        }
    };
    let new = users::NewUser {
        fields: RawFields {
            login: given(&form, "login"),
            email: given(&form, "email"),
            first_name: given(&form, "first_name"),
            last_name: given(&form, "last_name"),
            phone: given(&form, "phone"),
            language: given(&form, "language"),
            address_line: given(&form, "address_line"),
            postal_code: given(&form, "postal_code"),
            city: given(&form, "city"),
        },
        roles,
        groups,
        send_invitation: field(&form, "send_invitation") == "on",
    };
    match users::create(&s.app, &who, new, None)
        .await
        .map_err(grantable::on_fields)
    {
        Ok(user) => {
            let done = if field(&form, "send_invitation") == "on" {
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
    let get = |k: &str| super::query_value(query.as_deref(), k).unwrap_or_default();
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
    may_edit: bool,
    may_invite: bool,
    may_disable: bool,
    may_delete: bool,
    is_me: bool,
    /// The Notifications tab: this person's choices, read only for those who may only see them…
    alerts: Vec<sesame_app::notifications::AlertChoice>,
    /// … and as a form for those who may edit them (`may_edit`), on another person's page.
    alert_rows: Vec<super::preferences::AlertRow>,
    alerts_action: String,
    /// The Signature tab, shown when this person holds the signature permission.
    signature: Option<sesame_app::signature::SignatureView>,
    /// In its editor: as stored, or as typed.
    signature_typed: String,
    signature_max: usize,
}

impl UserPage {
    fn status_label(&self) -> String {
        self.ctx
            .t(&format!("web-state-{}", self.user.status.code()))
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
        Err(e) => return super::failed(&ctx, e),
    };
    // The signature tab only for those who may sign: without it, nothing would close their
    // e-mails.
    let signature = match sesame_app::signature::of_user(&s.app, who, &user.id).await {
        Ok(v) => v,
        Err(e) => return super::failed(&ctx, e),
    };
    let shown = |t: &str| t != "signature" || signature.is_some();
    let is_me = who.user.as_ref().is_some_and(|u| u.id == user.id);
    let tab = if TABS.iter().any(|(t, _)| *t == tab) && shown(tab) {
        tab
    } else {
        "profile"
    };
    let (alerts, alert_rows) = if tab == "notifications" {
        let theirs = match sesame_app::notifications::of_user(&s.app, who, &user.id).await {
            Ok(theirs) => theirs,
            Err(e) => return super::failed(&ctx, e),
        };
        // Another person's alerts as a form for whoever may edit them (one's own are changed on
        // My account); the group filter offers the organisation's groups the editor sees.
        let rows = if may.edit && !is_me {
            match sesame_app::groups::list(&s.app, who).await {
                Ok(groups) => super::preferences::alert_rows(&theirs, &groups, typed, &errors),
                Err(e) => return super::failed(&ctx, e),
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
            Err(e) => return super::failed(&ctx, e),
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
    let tab = super::query_value(query.as_deref(), "tab").unwrap_or_default();
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

/// The forms of a user's page.
/// The parts of a form sent on a person's page: its tab's handler gets them.
type Sent = (State<ApiState>, Member, Path<String>, Posted);

/// Saves the Profile tab: names, phone, language, address.
pub(crate) async fn save_profile(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let changes = users::UserChanges {
        fields: RawFields {
            first_name: edited(&form, "first_name"),
            last_name: edited(&form, "last_name"),
            phone: edited(&form, "phone"),
            language: given(&form, "language"),
            address_line: edited(&form, "address_line"),
            postal_code: edited(&form, "postal_code"),
            city: edited(&form, "city"),
            ..Default::default()
        },
        ..Default::default()
    };
    let outcome = users::update(&s.app, &who, &id, changes)
        .await
        .map(|_| "saved");
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
    let changes = users::UserChanges {
        fields: RawFields {
            login: given(&form, "login"),
            email: edited(&form, "email"),
            ..Default::default()
        },
        ..Default::default()
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
    match outcome {
        Ok(done) => Redirect::to(&format!("/users/{id}?tab={tab}&done={done}")).into_response(),
        Err(e) => {
            let api = ApiError::from(e);
            if api.status == StatusCode::NOT_FOUND || api.status == StatusCode::FORBIDDEN {
                return super::failed_api(&ctx, api);
            }
            let errors = ctx.errors(&api.errors);
            user_page(s, ctx, who, id, tab, typed, errors, api.status).await
        }
    }
}
