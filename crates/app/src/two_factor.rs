//! Two-factor sign-in with an authenticator app (TOTP) and single-use recovery codes.
//!
//! Enrolment is two steps: [`start`] makes a secret and shows it (as text, link and QR code);
//! [`confirm`] checks a first code from the app, turns two-factor on and hands out ten recovery
//! codes, shown that once. From then on signing in needs a code ([`check_code`]); each code
//! is accepted once. People may turn it off with their password unless one of their roles
//! requires it; those who may disable someone's account may reset their two-factor.

use crate::audit::{Change, record};
use crate::mail::{Kind, Letter};
use crate::target::load_target;
use crate::work::Work;
use crate::{App, Error, InPerson, Org, Principal, Result, totp};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_store::{Conn, now_ms};

/// Whether `user_id` has confirmed an authenticator.
pub async fn enrolled(conn: &mut Conn, org: &Org, user_id: &str) -> Result<bool> {
    Ok(sesame_store::mfa::totp_of(conn, org.id(), user_id)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some()))
}

/// Whether `user_id` has two-factor sign-in: the one answer to "does this person satisfy a
/// role requiring two-factor?" (a confirmed authenticator app, or a passkey).
pub async fn has_two_factor(conn: &mut Conn, org: &Org, user_id: &str) -> Result<bool> {
    Ok(enrolled(conn, org, user_id).await?
        || sesame_store::passkeys::count(conn, org.id(), user_id).await? > 0)
}

/// Those of `user_ids` without two-factor sign-in ([`has_two_factor`] for many at once).
pub async fn lacking(conn: &mut Conn, org: &Org, user_ids: &[String]) -> Result<Vec<String>> {
    Ok(
        sesame_store::mfa_grace::second_factors_of(conn, org.id(), user_ids)
            .await?
            .into_iter()
            .filter(|s| !s.enabled)
            .map(|s| s.user_id)
            .collect(),
    )
}

fn unix_secs() -> u64 {
    u64::try_from(now_ms() / 1000).unwrap_or(0)
}

/// Checks a code typed at sign-in (six digits, or a recovery code) and uses it up.
pub async fn check_code(
    conn: &mut Conn,
    who: &Principal,
    user_id: &str,
    typed: &SecretString,
) -> Result<()> {
    let org = &who.org;
    match totp::classify(typed.expose_secret()) {
        totp::Typed::Malformed => Err(Error::SecondFactor("mfa.code_malformed")),
        totp::Typed::Code(code) => {
            let row = sesame_store::mfa::totp_of(conn, org.id(), user_id)
                .await?
                .filter(|t| t.confirmed_at.is_some())
                .ok_or(Error::SecondFactor("mfa.code_invalid"))?;
            let secret = SecretString::from(row.secret);
            let step = totp::matching_step(&secret, &code, unix_secs())
                .ok_or(Error::SecondFactor("mfa.code_invalid"))?;
            let step = i64::try_from(step).unwrap_or(i64::MAX);
            if sesame_store::mfa::use_step(conn, org.id(), user_id, step).await? {
                Ok(())
            } else {
                Err(Error::SecondFactor("mfa.code_reused"))
            }
        }
        totp::Typed::Recovery(code) => {
            let hash = totp::recovery_hash(user_id, &code);
            let now = now_ms();
            if !sesame_store::mfa::use_recovery_code(conn, org.id(), user_id, &hash, now).await? {
                return Err(Error::SecondFactor("mfa.code_invalid"));
            }
            let left = sesame_store::mfa::recovery_codes_left(conn, org.id(), user_id).await?;
            record(
                conn,
                who,
                Change {
                    action: "mfa.recovery_code_used",
                    target_type: "user",
                    target_id: Some(user_id),
                    target_label: Some(&who.label()),
                    before: None,
                    after: Some(serde_json::json!({ "recovery_codes_left": left })),
                },
            )
            .await
        }
    }
}

/// The caller's two-factor state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MfaStatus {
    /// An authenticator is confirmed: sign-in asks for a code.
    pub enabled: bool,
    /// RFC 3339, when it was turned on.
    pub enabled_at: Option<String>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// One of the person's roles requires two-factor.
    pub required: bool,
    /// RFC 3339: when required and not on, until when signing in works without it (null: no
    /// grace period, or it does not apply).
    pub grace_deadline: Option<String>,
    /// Passkeys registered (`/api/v1/account/passkeys`): each is a second factor too.
    pub passkeys: i64,
}

fn own_id(who: &Principal) -> Result<String> {
    who.user_id()
        .map(String::from)
        .ok_or(Error::Unauthenticated("auth.required"))
}

pub async fn status(app: &App, who: &InPerson) -> Result<MfaStatus> {
    let user_id = own_id(who)?;
    let mut conn = app.store.read().await?;
    let row = sesame_store::mfa::totp_of(&mut conn, who.org.id(), &user_id).await?;
    let confirmed = row.and_then(|r| r.confirmed_at);
    let left = sesame_store::mfa::recovery_codes_left(&mut conn, who.org.id(), &user_id).await?;
    let target = load_target(&mut conn, &who.org, &user_id).await?;
    let required = target.held.iter().any(|h| h.requires_mfa);
    let grace = sesame_store::mfa_grace::get(&mut conn, who.org.id(), &user_id).await?;
    let passkeys = sesame_store::passkeys::count(&mut conn, who.org.id(), &user_id).await?;
    Ok(MfaStatus {
        enabled: confirmed.is_some(),
        enabled_at: confirmed.map(crate::time::rfc3339),
        recovery_codes_left: left,
        required,
        grace_deadline: grace
            .filter(|_| required && confirmed.is_none() && passkeys == 0)
            .map(|g| crate::time::rfc3339(g.deadline)),
        passkeys,
    })
}

/// What the authenticator app needs, shown once at enrolment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// The shared secret, base32 (32 characters, 160 bits), for typing by hand.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code, an SVG document.
    pub qr_svg: String,
}

/// Starts (or starts again) an enrolment. Refused while two-factor is on: turn it off first.
pub async fn start(app: &App, who: &InPerson) -> Result<Enrolment> {
    let user_id = own_id(who)?;
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    if enrolled(&mut work, org, &user_id).await? {
        return Err(Error::Refused(FieldError::new("", "mfa.already_enabled")));
    }
    let secret = totp::new_secret();
    let account = who.person().map_or(user_id.as_str(), |p| p.login());
    let uri = totp::otpauth_uri(&secret, &org.row.name, account)
        .ok_or_else(|| Error::Internal("otpauth link".into()))?;
    let svg = totp::qr_svg(&uri).ok_or_else(|| Error::Internal("QR code".into()))?;
    let now = now_ms();
    sesame_store::mfa::put_pending(
        &mut work,
        &sesame_store::mfa::TotpRow {
            user_id: user_id.clone(),
            org_id: org.id().to_string(),
            secret: secret.expose_secret().to_string(),
            confirmed_at: None,
            last_step: 0,
            created_at: now,
        },
    )
    .await?;
    audit(&mut work, who, "mfa.enrolment_started", &user_id, None).await?;
    work.commit().await?;
    Ok(Enrolment {
        secret: secret.expose_secret().to_string(),
        otpauth_uri: uri,
        qr_svg: svg,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeInput {
    /// The six digits the authenticator app shows now.
    #[schema(value_type = String)]
    pub code: SecretString,
}

/// Recovery codes, shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    /// Ten single-use codes (`xxxx-xxxx-xxxx`), each usable instead of an app code once.
    pub recovery_codes: Vec<String>,
}

/// Turns two-factor on with a first code from the app; answers the recovery codes.
pub async fn confirm(app: &App, who: &InPerson, input: CodeInput) -> Result<RecoveryCodes> {
    let user_id = own_id(who)?;
    let org = &who.org;
    let code = match totp::classify(input.code.expose_secret()) {
        totp::Typed::Code(c) => c,
        _ => {
            return Err(Error::Invalid(vec![FieldError::new(
                "code",
                "mfa.code_malformed",
            )]));
        }
    };
    let mut work = Work::begin(app).await?;
    let row = sesame_store::mfa::totp_of(&mut work, org.id(), &user_id)
        .await?
        .ok_or(Error::Refused(FieldError::new("", "mfa.not_started")))?;
    if row.confirmed_at.is_some() {
        return Err(Error::Refused(FieldError::new("", "mfa.already_enabled")));
    }
    let secret = SecretString::from(row.secret);
    let step = totp::matching_step(&secret, &code, unix_secs())
        .ok_or_else(|| Error::Invalid(vec![FieldError::new("code", "mfa.code_invalid")]))?;
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if !sesame_store::mfa::use_step(&mut work, org.id(), &user_id, step).await? {
        return Err(Error::Invalid(vec![FieldError::new(
            "code",
            "mfa.code_reused",
        )]));
    }
    let now = now_ms();
    sesame_store::mfa::confirm(&mut work, org.id(), &user_id, now).await?;
    // Enrolled: no grace period any more (reminders stop with it).
    sesame_store::mfa_grace::clear(&mut work, org.id(), &user_id).await?;
    let codes = replace_recovery_codes(&mut work, org, &user_id, now).await?;
    audit(&mut work, who, "mfa.enable", &user_id, None).await?;
    notify(&mut work, who, Kind::MfaEnabled, &user_id).await?;
    work.commit().await?;
    Ok(codes)
}

async fn replace_recovery_codes(
    conn: &mut Conn,
    org: &Org,
    user_id: &str,
    now: i64,
) -> Result<RecoveryCodes> {
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| match totp::classify(c.expose_secret()) {
            totp::Typed::Recovery(n) => Some(totp::recovery_hash(user_id, &n)),
            _ => None,
        })
        .collect();
    sesame_store::mfa::replace_recovery_codes(conn, org.id(), user_id, &hashes, now).await?;
    Ok(RecoveryCodes {
        recovery_codes: codes
            .iter()
            .map(|c| c.expose_secret().to_string())
            .collect(),
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    /// The caller's current password, to confirm it is them.
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// Checks the caller's own password (in the hashing pool).
pub(crate) async fn confirm_password(
    app: &App,
    who: &Principal,
    password: SecretString,
) -> Result<()> {
    let user_id = own_id(who)?;
    let hash = {
        let mut conn = app.store.read().await?;
        let login = who
            .person()
            .map(|p| p.login().to_string())
            .unwrap_or_default();
        sesame_store::users::for_sign_in(&mut conn, who.org.id(), &login)
            .await?
            .filter(|c| c.user.id == user_id)
            .and_then(|c| c.password_hash)
    };
    if app.hasher.verify(password, hash).await?.is_right() {
        Ok(())
    } else {
        Err(Error::Invalid(vec![FieldError::new(
            "password",
            "password.incorrect",
        )]))
    }
}

/// Turns two-factor off, with the caller's password. Refused when a role requires it.
pub async fn disable(app: &App, who: &InPerson, input: PasswordInput) -> Result<()> {
    let user_id = own_id(who)?;
    confirm_password(app, who, input.password).await?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, &who.org, &user_id).await?;
    // A passkey left is a second factor still (issue 22).
    let passkeys = sesame_store::passkeys::count(&mut work, who.org.id(), &user_id).await?;
    if target.held.iter().any(|h| h.requires_mfa) && passkeys == 0 {
        return Err(Error::Refused(FieldError::new("", "mfa.required_by_role")));
    }
    if !sesame_store::mfa::remove(&mut work, who.org.id(), &user_id).await? {
        return Err(Error::Refused(FieldError::new("", "mfa.not_enabled")));
    }
    audit(&mut work, who, "mfa.disable", &user_id, None).await?;
    notify(&mut work, who, Kind::MfaDisabled, &user_id).await?;
    work.commit().await?;
    Ok(())
}

/// Replaces the caller's recovery codes with ten new ones, with their password.
pub async fn regenerate_recovery_codes(
    app: &App,
    who: &InPerson,
    input: PasswordInput,
) -> Result<RecoveryCodes> {
    let user_id = own_id(who)?;
    confirm_password(app, who, input.password).await?;
    let mut work = Work::begin(app).await?;
    if !enrolled(&mut work, &who.org, &user_id).await? {
        return Err(Error::Refused(FieldError::new("", "mfa.not_enabled")));
    }
    let codes = replace_recovery_codes(&mut work, &who.org, &user_id, now_ms()).await?;
    audit(
        &mut work,
        who,
        "mfa.recovery_codes_replaced",
        &user_id,
        None,
    )
    .await?;
    work.commit().await?;
    Ok(codes)
}

/// Removes someone's two-factor (their phone is lost): authenticator app, recovery codes and
/// passkeys; they sign in with their password alone and enrol again. For those who may
/// disable their account.
pub async fn reset(app: &App, who: &Principal, user_id: &str) -> Result<()> {
    who.in_person_if_own(user_id)?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, &who.org, user_id).await?;
    who.actor.may_disable(&target.subject())?;
    let had_app = sesame_store::mfa::remove(&mut work, who.org.id(), user_id).await?;
    let passkeys = sesame_store::passkeys::remove_all(&mut work, who.org.id(), user_id).await?;
    if !had_app && passkeys == 0 {
        return Err(Error::Refused(FieldError::new("", "mfa.not_enabled")));
    }
    audit(
        &mut work,
        who,
        "mfa.reset",
        user_id,
        Some(&target.row.login),
    )
    .await?;
    notify(&mut work, who, Kind::MfaReset, user_id).await?;
    crate::notifications::alert_security(
        &mut work,
        &who.org,
        "mfa_reset",
        &target.row,
        who.person(),
        None,
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Tells the person their two-factor settings changed (a security notice: always sent).
async fn notify(work: &mut Work, who: &Principal, kind: Kind, user_id: &str) -> Result<()> {
    if let Some(user) = sesame_store::users::get(work, who.org.id(), user_id).await? {
        work.queue(&who.org, Letter::new(kind, &user).by(who.person()))
            .await?;
    }
    Ok(())
}

async fn audit(
    conn: &mut Conn,
    who: &Principal,
    action: &'static str,
    user_id: &str,
    label: Option<&str>,
) -> Result<()> {
    let own = who.label();
    record(
        conn,
        who,
        Change {
            action,
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(label.unwrap_or(&own)),
            before: None,
            after: None,
        },
    )
    .await
}
