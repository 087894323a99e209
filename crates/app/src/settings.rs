//! The organisation's settings.

use crate::audit::{Change, record};
use crate::{App, Error, Org, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::user::format_required_fields;
use sesame_core::{Country, FieldError, Language, UserField, parse_label};

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
}

pub async fn update(app: &App, who: &Principal, input: SettingsInput) -> Result<SettingsView> {
    who.actor.may_change_settings()?;
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
    let mut tx = app.store.begin().await?;
    let mut mfa_roles = None;
    if let Some(names) = &input.two_factor_roles {
        let mut ids = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match crate::users::find_role(&mut tx, &who.org, name).await? {
                Some(r) => ids.push((r.id, r.name)),
                None => errors.push(
                    crate::users::unknown_role(
                        &mut tx,
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
    let current = sesame_store::roles::requiring_mfa(&mut tx, who.org.id()).await?;
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
    sesame_store::orgs::update_settings(&mut tx, &row).await?;
    if let Some(ids) = &mfa_roles {
        let ids: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
        sesame_store::roles::set_requiring_mfa(&mut tx, who.org.id(), &ids).await?;
    }
    record(
        &mut tx,
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
    tx.commit().await.map_err(sesame_store::StoreError::from)?;
    Ok(after)
}
