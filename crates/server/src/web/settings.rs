//! The organisation's settings: name, default language, country (for phone numbers), time zone
//! (for the dates people read), required
//! fields, the roles that must use two-factor, the e-mails' sender and the links' lifetimes —
//! what `settings::SettingsInput` carries, each error shown by its field.

use super::{Ctx, FormErrors, Member, Posted, field};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::Principal;
use sesame_app::settings::{self, SettingsInput, SettingsView};
use sesame_core::{FieldError, UserField};
use std::collections::BTreeMap;

/// The countries offered first (those of the people Sésame is made for); the organisation's
/// own is offered too when it is another.
const COUNTRIES: [&str; 6] = ["FR", "BE", "CH", "LU", "MC", "CA"];

/// A box to tick, or an option to choose.
pub(crate) struct Pick {
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// Always on: shown ticked, not to be changed.
    pub fixed: bool,
}

#[derive(Template)]
#[template(path = "web/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    org_fields: Vec<TextField>,
    language: String,
    countries: Vec<Pick>,
    time_zone: String,
    /// The IANA names offered as the time zone is typed.
    time_zones: &'static [String],
    required: Vec<Pick>,
    two_factor: Vec<Pick>,
    grace_field: TextField,
    mail_fields: Vec<TextField>,
    link_fields: Vec<TextField>,
}

/// A text field of the form.
pub(crate) struct TextField {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub kind: &'static str,
    /// Digits: the phone's keyboard shows them (the text typed is kept as typed).
    pub numeric: bool,
}

/// What the form shows: the settings as stored, or as typed.
fn values_of(
    v: &SettingsView,
    role_ids: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<String>> {
    let one = |s: &str| vec![s.to_string()];
    BTreeMap::from([
        ("name".to_string(), one(&v.name)),
        ("language".to_string(), one(&v.language)),
        ("country".to_string(), one(&v.country)),
        ("time_zone".to_string(), one(&v.time_zone)),
        ("required".to_string(), v.required_fields.clone()),
        (
            "two_factor_roles".to_string(),
            v.two_factor_roles
                .iter()
                .filter_map(|n| role_ids.get(n).cloned())
                .collect(),
        ),
        (
            "two_factor_grace_days".to_string(),
            one(&v.two_factor_grace_days.to_string()),
        ),
        (
            "mail_from_name".to_string(),
            one(v.mail_from_name.as_deref().unwrap_or("")),
        ),
        (
            "mail_from_address".to_string(),
            one(v.mail_from_address.as_deref().unwrap_or("")),
        ),
        (
            "invitation_ttl_hours".to_string(),
            one(&v.invitation_ttl_hours.to_string()),
        ),
        (
            "reset_ttl_minutes".to_string(),
            one(&v.reset_ttl_minutes.to_string()),
        ),
        (
            "invitation_reminder_days".to_string(),
            one(&v
                .invitation_reminder_days
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")),
        ),
    ])
}

async fn settings_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    if let Err(e) = who.actor.may_change_settings() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let (stored, roles) = match (
        settings::get(&s.app, &who.org).await,
        sesame_app::roles::list(&s.app, who).await,
    ) {
        (Ok(v), Ok(r)) => (v, r),
        (Err(e), _) | (_, Err(e)) => return super::failed(&ctx, e),
    };
    let role_ids: BTreeMap<String, String> = roles
        .iter()
        .map(|r| (r.name.clone(), r.id.clone()))
        .collect();
    let stored = values_of(&stored, &role_ids);
    let values = typed.unwrap_or(&stored);
    let ticked = |k: &str, v: &str| values.get(k).is_some_and(|l| l.iter().any(|x| x == v));
    let country = field(values, "country").to_ascii_uppercase();
    let mut codes: Vec<String> = COUNTRIES.iter().map(|c| c.to_string()).collect();
    if !country.is_empty() && !codes.contains(&country) {
        codes.push(country.clone());
    }
    let countries = codes
        .into_iter()
        .map(|c| Pick {
            label: match ctx.t(&format!("web-country-{c}")) {
                // A country without a name in the catalogues: its code.
                l if l.starts_with("web-country") => c.clone(),
                l => l,
            },
            checked: c == country,
            value: c,
            fixed: false,
        })
        .collect();
    let required = [
        (UserField::Login, "web-field-login"),
        (UserField::Email, "web-field-email"),
        (UserField::FirstName, "web-field-first-name"),
        (UserField::LastName, "web-field-last-name"),
        (UserField::Phone, "web-field-phone"),
        (UserField::Address, "web-field-address"),
    ]
    .into_iter()
    .map(|(f, label)| {
        // Every account has a login (suggested when none is typed) and an e-mail address.
        let fixed = matches!(f, UserField::Login | UserField::Email);
        Pick {
            value: f.code().to_string(),
            label: ctx.t(label),
            checked: fixed || ticked("required", f.code()),
            fixed,
        }
    })
    .collect();
    let two_factor = roles
        .iter()
        .map(|r| Pick {
            checked: ticked("two_factor_roles", &r.id),
            value: r.id.clone(),
            label: r.name.clone(),
            fixed: false,
        })
        .collect();
    let text = |name: &'static str, label: &str, hint: &str, kind: &'static str| TextField {
        name,
        label: ctx.t(label),
        hint: if hint.is_empty() {
            String::new()
        } else {
            ctx.t(hint)
        },
        value: field(values, name).to_string(),
        kind,
        numeric: false,
    };
    let numeric = |f: TextField| TextField { numeric: true, ..f };
    let page = SettingsPage {
        title: ctx.t("web-settings-title"),
        errors,
        org_fields: vec![text("name", "web-settings-name", "", "text")],
        language: field(values, "language").to_string(),
        countries,
        time_zone: field(values, "time_zone").to_string(),
        time_zones: sesame_core::Zone::names(),
        required,
        two_factor,
        grace_field: numeric(text(
            "two_factor_grace_days",
            "web-settings-grace-days",
            "web-settings-grace-days-hint",
            "text",
        )),
        mail_fields: vec![
            text(
                "mail_from_name",
                "web-settings-mail-from-name",
                "web-settings-mail-from-name-hint",
                "text",
            ),
            text(
                "mail_from_address",
                "web-settings-mail-from-address",
                "web-settings-mail-from-address-hint",
                "email",
            ),
        ],
        link_fields: vec![
            numeric(text(
                "invitation_ttl_hours",
                "web-settings-invitation-ttl",
                "web-settings-invitation-ttl-hint",
                "text",
            )),
            numeric(text(
                "reset_ttl_minutes",
                "web-settings-reset-ttl",
                "web-settings-reset-ttl-hint",
                "text",
            )),
            text(
                "invitation_reminder_days",
                "web-settings-reminder-days",
                "web-settings-reminder-days-hint",
                "text",
            ),
        ],
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    settings_page(&s, ctx, &who, None, FormErrors::default(), StatusCode::OK).await
}

/// A whole number typed in a field, or its error.
fn number(
    form: &BTreeMap<String, Vec<String>>,
    key: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let raw: String = field(form, key)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match raw.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(key, "web.not_a_number"));
            None
        }
    }
}

/// The field of the form an error names: `required_fields[2]` is the required boxes.
fn form_field(e: FieldError) -> FieldError {
    let base = e.field.split('[').next().unwrap_or("").to_string();
    let field = match base.as_str() {
        "required_fields" => "required".to_string(),
        _ => base,
    };
    FieldError { field, ..e }
}

pub(crate) async fn save(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let mut errors = Vec::new();
    let invitation = number(&form, "invitation_ttl_hours", &mut errors);
    let reset = number(&form, "reset_ttl_minutes", &mut errors);
    // A form from before the setting existed leaves the grace period as it is.
    let grace = form
        .contains_key("two_factor_grace_days")
        .then(|| number(&form, "two_factor_grace_days", &mut errors))
        .flatten();
    // So are the invitation reminders.
    let reminders = form
        .contains_key("invitation_reminder_days")
        .then(|| {
            let field = "invitation_reminder_days";
            sesame_app::invitations::remind::parse_typed(field, super::field(&form, field))
                .map_err(|e| errors.push(e))
                .ok()
        })
        .flatten();
    if !errors.is_empty() {
        // Nothing is saved until every field reads: the form comes back as typed.
        let errors = ctx.errors(&errors);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return settings_page(&s, ctx, &who, Some(&form), errors, status).await;
    }
    let list = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = SettingsInput {
        name: Some(field(&form, "name").to_string()),
        language: Some(field(&form, "language").to_string()),
        country: Some(field(&form, "country").to_string()),
        // A form from before the setting existed leaves the zone as it is.
        time_zone: form
            .contains_key("time_zone")
            .then(|| field(&form, "time_zone").to_string()),
        required_fields: Some(list("required")),
        two_factor_roles: Some(list("two_factor_roles")),
        two_factor_grace_days: grace,
        mail_from_name: Some(field(&form, "mail_from_name").to_string()),
        mail_from_address: Some(field(&form, "mail_from_address").to_string()),
        invitation_ttl_hours: invitation,
        invitation_reminder_days: reminders,
        reset_ttl_minutes: reset,
    };
    match settings::update(&s.app, &who, input).await {
        Ok(_) => Redirect::to("/settings?done=saved").into_response(),
        Err(e) => {
            let api = ApiError::from(e);
            if api.status == StatusCode::FORBIDDEN {
                return super::failed_api(&ctx, api);
            }
            let fields: Vec<FieldError> = api.errors.iter().cloned().map(form_field).collect();
            let errors = ctx.errors(&fields);
            settings_page(&s, ctx, &who, Some(&form), errors, api.status).await
        }
    }
}
