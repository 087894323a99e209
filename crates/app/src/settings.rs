//! The organisation's settings.

use crate::audit::Change;
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::user::format_required_fields;
use sesame_core::{Country, FieldError, Language, UserField, Zone, parse_label};
use sesame_store::now_ms;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SettingsView {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// `amap`, `daycare` or `generic`.
    pub profile: String,
    /// Default language of pages and e-mails: `fr` or `en`.
    pub language: String,
    /// ISO 3166 country whose phone formats are read (`FR`, `CA`, …).
    pub country: String,
    /// Fields every user must have: `login`, `email`, `first_name`, `last_name`, `phone`, `address`.
    pub required_fields: Vec<String>,
    /// Names of the roles whose holders must sign in with two-factor.
    pub two_factor_roles: Vec<String>,
    /// Days someone newly required to use two-factor may still sign in without it, reminded
    /// by e-mail (0–365, 14 by default; 0: they must enrol at their next sign-in).
    pub two_factor_grace_days: i64,
    /// Sender name of the organisation's e-mails; null: the organisation's name.
    pub mail_from_name: Option<String>,
    /// Sender address of the organisation's e-mails; null: the server's (`serve --mail-from`).
    pub mail_from_address: Option<String>,
    /// How long an invitation link stays valid, in hours (1–720, 168 by default).
    pub invitation_ttl_hours: i64,
    /// Days after an invitation when a reminder with a fresh link goes to whoever has not
    /// activated their account, in increasing order (`[3, 7]` by default; `[]`: none).
    pub invitation_reminder_days: Vec<i64>,
    /// How long a password-reset link stays valid, in minutes (5–1440, 60 by default).
    pub reset_ttl_minutes: i64,
    /// IANA time zone the pages, e-mails and exports show dates in (`Europe/Paris`,
    /// `America/Toronto`); the API's times stay RFC 3339 in UTC.
    pub time_zone: String,
}

/// The settings, with the two-factor policy read from the roles.
pub async fn get(app: &App, org: &Org) -> Result<SettingsView> {
    let mut conn = app.store.read().await?;
    let roles = sesame_store::roles::requiring_mfa(&mut conn, org.id()).await?;
    Ok(SettingsView {
        two_factor_roles: roles.into_iter().map(|(_, name)| name).collect(),
        ..view(org)
    })
}

/// The settings stored on the organisation itself (without the two-factor policy).
pub fn view(org: &Org) -> SettingsView {
    SettingsView {
        id: org.row.id.clone(),
        slug: org.row.slug.clone(),
        name: org.row.name.clone(),
        profile: org.profile.code().into(),
        language: org.language.code().into(),
        country: org.country.code(),
        required_fields: org.required.iter().map(|f| f.code().to_string()).collect(),
        two_factor_roles: Vec::new(),
        two_factor_grace_days: org.row.mfa_grace_days,
        mail_from_name: org.row.mail_from_name.clone(),
        mail_from_address: org.row.mail_from_address.clone(),
        invitation_ttl_hours: org.row.invitation_ttl_hours,
        invitation_reminder_days: crate::invitations::remind::days_of(org),
        reset_ttl_minutes: org.row.reset_ttl_minutes,
        time_zone: org.zone.name().to_string(),
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    pub name: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub required_fields: Option<Vec<String>>,
    /// Roles (names or ids) whose holders must sign in with two-factor; `[]` for none.
    pub two_factor_roles: Option<Vec<String>>,
    /// Days of grace given to someone newly required to use two-factor: a whole number,
    /// 0–365 (0: none).
    pub two_factor_grace_days: Option<i64>,
    /// `""` goes back to the organisation's name.
    pub mail_from_name: Option<String>,
    /// `""` goes back to the server's address.
    pub mail_from_address: Option<String>,
    pub invitation_ttl_hours: Option<i64>,
    /// Days after an invitation when a reminder goes: whole days, 1–60, each once, at most
    /// five, in any order; `[]` turns reminders off.
    pub invitation_reminder_days: Option<Vec<i64>>,
    pub reset_ttl_minutes: Option<i64>,
    /// An IANA time zone name, e.g. `Europe/Paris`; an unknown name is refused.
    pub time_zone: Option<String>,
}

pub async fn update(app: &App, who: &Principal, input: SettingsInput) -> Result<SettingsView> {
    let allowed = who.actor.may_change_settings()?;
    let mut row = who.org.row.clone();
    let mut errors: Vec<FieldError> = Vec::new();
    if let Some(n) = &input.name {
        match parse_label(n) {
            Ok(n) => row.name = n,
            Err(e) => errors.push(e.on("name")),
        }
    }
    if let Some(l) = &input.language {
        match Language::parse(l) {
            Ok(l) => row.language = l.code().into(),
            Err(e) => errors.push(e.on("language")),
        }
    }
    if let Some(c) = &input.country {
        match Country::parse(c) {
            Ok(c) => row.country = c.code(),
            Err(e) => errors.push(e.on("country")),
        }
    }
    if let Some(z) = &input.time_zone {
        match Zone::parse(z) {
            Ok(z) => row.time_zone = z.name().to_string(),
            Err(e) => errors.push(e.on("time_zone")),
        }
    }
    if let Some(fields) = &input.required_fields {
        let mut parsed = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            match UserField::parse(f) {
                Ok(f) => parsed.push(f),
                Err(e) => errors.push(e.on(format!("required_fields[{i}]"))),
            }
        }
        if !parsed.contains(&UserField::Email) {
            parsed.push(UserField::Email);
        }
        parsed.sort();
        parsed.dedup();
        row.required_fields = format_required_fields(&parsed);
    }
    if let Some(n) = &input.mail_from_name {
        if n.trim().is_empty() {
            row.mail_from_name = None;
        } else {
            match parse_label(n) {
                Ok(n) => row.mail_from_name = Some(n),
                Err(e) => errors.push(e.on("mail_from_name")),
            }
        }
    }
    if let Some(a) = &input.mail_from_address {
        if a.trim().is_empty() {
            row.mail_from_address = None;
        } else {
            match sesame_core::Email::parse(a) {
                Ok(a) => row.mail_from_address = Some(a.as_str().to_string()),
                Err(e) => errors.push(e.on("mail_from_address")),
            }
        }
    }
    let mut in_range = |field: &str, value: Option<i64>, range: std::ops::RangeInclusive<i64>| {
        let v = value?;
        if range.contains(&v) {
            Some(v)
        } else {
            errors.push(
                FieldError::new(field, "limit.range")
                    .with("min", range.start().to_string())
                    .with("max", range.end().to_string()),
            );
            None
        }
    };
    if let Some(h) = in_range("invitation_ttl_hours", input.invitation_ttl_hours, 1..=720) {
        row.invitation_ttl_hours = h;
    }
    if let Some(m) = in_range("reset_ttl_minutes", input.reset_ttl_minutes, 5..=1440) {
        row.reset_ttl_minutes = m;
    }
    if let Some(days) = &input.invitation_reminder_days {
        match crate::invitations::remind::check_days("invitation_reminder_days", days) {
            Ok(stored) => row.invitation_reminder_days = stored,
            Err(e) => errors.push(e),
        }
    }
    if let Some(d) = input.two_factor_grace_days {
        if (0..=crate::grace::MAX_DAYS).contains(&d) {
            row.mfa_grace_days = d;
        } else {
            errors.push(
                FieldError::new("two_factor_grace_days", "mfa.grace_days_range")
                    .with("max", crate::grace::MAX_DAYS.to_string()),
            );
        }
    }
    let mut work = Work::begin(app).await?;
    let mut mfa_roles = None;
    if let Some(names) = &input.two_factor_roles {
        let mut ids = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match crate::users::find_role(&mut work, &who.org, name).await? {
                Some(r) => ids.push((r.id, r.name)),
                None => errors.push(
                    crate::users::unknown_role(
                        &mut work,
                        &who.org,
                        &format!("two_factor_roles[{i}]"),
                        name,
                    )
                    .await?,
                ),
            }
        }
        mfa_roles = Some(ids);
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let current = sesame_store::roles::requiring_mfa(&mut work, who.org.id()).await?;
    let before = SettingsView {
        two_factor_roles: current.iter().map(|(_, n)| n.clone()).collect(),
        ..view(&who.org)
    };
    let after = SettingsView {
        two_factor_roles: match &mfa_roles {
            Some(ids) => ids.iter().map(|(_, n)| n.clone()).collect(),
            None => before.two_factor_roles.clone(),
        },
        ..view(&Org::from_row(row.clone()))
    };
    sesame_store::orgs::update_settings(&mut work, &allowed, &row).await?;
    if let Some(ids) = &mfa_roles {
        let ids: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
        let required = crate::grace::required_before(&mut work, &who.org).await?;
        sesame_store::roles::set_requiring_mfa(&mut work, &allowed, &ids).await?;
        // Those the new policy requires, without two-factor, get their grace period (with
        // the number of days just saved).
        let org = Org::from_row(row.clone());
        crate::grace::start_for_newly_required(&mut work, &org, required, now_ms()).await?;
    }
    work.record(
        who,
        Change {
            action: "settings.update",
            target_type: "organisation",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: Some(serde_json::to_value(&before)?),
            after: Some(serde_json::to_value(&after)?),
        },
    )
    .await?;
    work.commit().await?;
    Ok(after)
}
