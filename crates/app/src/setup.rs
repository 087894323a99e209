//! Setting up: `sesame init` (non-interactive) and the first run of `sesame serve`, which
//! creates an organisation and a one-time link for the first administrator.

use crate::users::{NewUser, UserView};
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, secret};
use secrecy::SecretString;
use serde::Deserialize;
use sesame_core::policy::Actor;
use sesame_core::user::format_required_fields;
use sesame_core::{FieldError, Language, Profile, Slug, UserField, Zone, parse_label};
use sesame_store::orgs::OrgRow;
use sesame_store::{new_id, now_ms};

/// What `sesame init` takes.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub org_name: String,
    pub slug: Option<String>,
    pub profile: Profile,
    pub language: Language,
    pub admin_login: String,
    pub admin_email: String,
    pub admin_password: Option<SecretString>,
}

async fn create_org(
    app: &App,
    name: &str,
    slug: Option<&str>,
    profile: Profile,
    language: Language,
    setup_token_hash: Option<&str>,
) -> Result<Org> {
    let name = parse_label(name).map_err(|e| Error::Invalid(vec![e.on("org")]))?;
    let slug = match slug {
        Some(s) => Slug::parse(s).map_err(|e| Error::Invalid(vec![e.on("slug")]))?,
        None => Slug::from_name(&name),
    };
    let now = now_ms();
    let row = OrgRow {
        id: new_id(),
        slug: slug.as_str().to_string(),
        name,
        profile: profile.code().into(),
        language: language.code().into(),
        country: profile.default_country().into(),
        required_fields: format_required_fields(&profile.default_required_fields()),
        mail_from_name: None,
        mail_from_address: None,
        invitation_ttl_hours: sesame_store::orgs::INVITATION_TTL_HOURS,
        reset_ttl_minutes: sesame_store::orgs::RESET_TTL_MINUTES,
        time_zone: Zone::default_for_country(profile.default_country())
            .name()
            .to_string(),
        mfa_grace_days: sesame_store::orgs::MFA_GRACE_DAYS,
        invitation_reminder_days: sesame_store::orgs::INVITATION_REMINDER_DAYS.into(),
        created_at: now,
        updated_at: now,
    };
    let mut work = Work::begin(app).await?;
    if sesame_store::orgs::by_slug(&mut work, &row.slug)
        .await?
        .is_some()
    {
        return Err(Error::Conflict(vec![
            FieldError::new("slug", "slug.taken").with("value", &row.slug),
        ]));
    }
    sesame_store::orgs::insert(&mut work, &row, setup_token_hash).await?;
    crate::roles::install_presets(&mut work, &Actor::operator(&row.id), profile, language).await?;
    let org = Org::from_row(row);
    let who = Principal {
        org: org.clone(),
        actor: Actor::operator(org.id()),
        person: None,
        source: Some("cli".into()),
        token: None,
        must_enrol: false,
    };
    crate::audit::record(
        &mut work,
        &who,
        crate::audit::Change {
            action: "organisation.create",
            target_type: "organisation",
            target_id: Some(org.id()),
            target_label: Some(&org.row.name),
            before: None,
            after: Some(serde_json::to_value(crate::settings::view(&org))?),
        },
    )
    .await?;
    work.commit().await?;
    Ok(org)
}

fn admin_role_name(org: &Org) -> String {
    sesame_core::preset::presets(org.profile)[0]
        .name(org.language)
        .to_string()
}

/// `sesame init`: an organisation with its preset roles and its first administrator.
pub async fn init(app: &App, opts: InitOptions) -> Result<(Org, UserView)> {
    // Check the administrator's fields before anything is written.
    let probe = Org::from_row(OrgRow {
        id: String::new(),
        slug: String::new(),
        name: String::new(),
        profile: opts.profile.code().into(),
        language: opts.language.code().into(),
        country: opts.profile.default_country().into(),
        required_fields: "login,email".into(),
        mail_from_name: None,
        mail_from_address: None,
        invitation_ttl_hours: sesame_store::orgs::INVITATION_TTL_HOURS,
        reset_ttl_minutes: sesame_store::orgs::RESET_TTL_MINUTES,
        time_zone: "UTC".into(),
        mfa_grace_days: sesame_store::orgs::MFA_GRACE_DAYS,
        invitation_reminder_days: sesame_store::orgs::INVITATION_REMINDER_DAYS.into(),
        created_at: 0,
        updated_at: 0,
    });
    let admin = NewUser {
        login: Some(opts.admin_login.clone()),
        email: Some(opts.admin_email.clone()),
        ..Default::default()
    };
    let mut errors = crate::users::check::check_fields(&probe, &admin.fields())
        .err()
        .unwrap_or_default();
    let ctx = crate::password::Context {
        personal: vec![
            opts.admin_login.clone(),
            opts.admin_email.clone(),
            opts.org_name.clone(),
        ],
        administrative: true,
    };
    if let Some(p) = &opts.admin_password
        && let Err(e) = crate::password::check_policy(p, &ctx)
    {
        errors.push(e.on("password"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let org = create_org(
        app,
        &opts.org_name,
        opts.slug.as_deref(),
        opts.profile,
        opts.language,
        None,
    )
    .await?;
    let who = first_admin_creator(&org, Some("cli".into()));
    let new = NewUser {
        roles: vec![crate::users::RoleInGroup {
            role: admin_role_name(&org),
            group: None,
        }],
        ..admin
    };
    let admin = crate::users::create(app, &who, new, opts.admin_password).await?;
    Ok((org, admin))
}

/// First run of `serve`: with no organisation, creates one (generic, French) and returns the
/// secret of its setup link. With an organisation still waiting for its first administrator,
/// returns a fresh link (only hashes are kept, so the old one cannot be shown again).
pub async fn bootstrap(app: &App) -> Result<Option<(Org, SecretString)>> {
    let token = secret::generate("setup_");
    let hash = secret::hash_secret(&token);
    let mut conn = app.store.read().await?;
    let all = sesame_store::orgs::list(&mut conn).await?;
    if all.is_empty() {
        drop(conn);
        let org = create_org(
            app,
            "Mon organisation",
            None,
            Profile::Generic,
            Language::Fr,
            Some(&hash),
        )
        .await?;
        return Ok(Some((org, token)));
    }
    let pending = sesame_store::orgs::pending_setup(&mut conn).await?;
    drop(conn);
    match pending.into_iter().next() {
        Some(row) => {
            let mut work = Work::begin(app).await?;
            sesame_store::orgs::set_setup_token(&mut work, &row.id, &hash).await?;
            work.commit().await?;
            Ok(Some((Org::from_row(row), token)))
        }
        None => Ok(None),
    }
}

/// What the setup link's page (or `POST /api/v1/setup`) sends.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupInput {
    /// The secret from the setup link.
    pub token: String,
    /// Renames the organisation, optionally.
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
    pub email: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// Uses the setup link, once: creates the first administrator with their password, in the
/// same transaction that consumes the link.
pub async fn complete(app: &App, input: SetupInput, source: Option<String>) -> Result<UserView> {
    let token_hash = secret::hash(input.token.trim());
    let mut work = Work::begin(app).await?;
    let org_id = sesame_store::orgs::take_setup_token(&mut work, &token_hash)
        .await?
        .ok_or(Error::Unauthenticated("setup.invalid"))?;
    let mut org = Org::from_row(
        sesame_store::orgs::get(&mut work, &org_id)
            .await?
            .ok_or(Error::NotFound("organisation"))?,
    );
    if let Some(name) = &input.organisation {
        org.row.name = parse_label(name).map_err(|e| Error::Invalid(vec![e.on("organisation")]))?;
        // The setup link proves its holder is the one who runs the service.
        let allowed = Actor::operator(org.id()).may_change_settings()?;
        sesame_store::orgs::update_settings(&mut work, &allowed, &org.row).await?;
    }
    let who = first_admin_creator(&org, source);
    let new = NewUser {
        login: input.login.clone(),
        email: Some(input.email.clone()),
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        roles: vec![crate::users::RoleInGroup {
            role: admin_role_name(&org),
            group: None,
        }],
        ..Default::default()
    };
    let (row, fields, errors) = crate::users::prepare(&who, &new, Some(&input.password), true);
    if !errors.is_empty() {
        // Dropping the transaction keeps the link usable.
        return Err(Error::Invalid(errors));
    }
    // Hashing inside the transaction holds the write lock ~15 ms, once in the life of the
    // organisation; in exchange the link and the account come and go together.
    let hash = app.hasher.hash(input.password.clone()).await?;
    let view =
        crate::users::create_in(&mut work, &who, new, row, fields, errors, Some(hash)).await?;
    work.commit().await?;
    Ok(view)
}

/// The operator creating the first administrator: only the login and e-mail are required then,
/// whatever the organisation requires of others; the administrator completes the rest later.
fn first_admin_creator(org: &Org, source: Option<String>) -> Principal {
    let mut relaxed = org.clone();
    relaxed.required = vec![UserField::Login, UserField::Email];
    Principal {
        actor: Actor::operator(relaxed.id()),
        org: relaxed,
        person: None,
        source,
        token: None,
        must_enrol: false,
    }
}
