//! Signing in with a login (or e-mail), a password and, when enrolled, a second factor.
//!
//! The password check runs in the bounded hashing pool; an unknown login is checked against a
//! dummy hash so that it takes as long as a known one and gets the same answer. Attempts are
//! throttled before any hashing ([`super::throttle`]). Every failure is audited.

use super::SESSION_LIFETIME_MS;
use super::throttle::{self, Keys};
use crate::audit::Change;
use crate::password::{Lane, Verdict};
use crate::users::{UserView, load_target};
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, secret, two_factor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_core::Status;
use sesame_core::policy::Actor;
use sesame_store::tokens::TokenRow;
use sesame_store::users::UserRow;
use sesame_store::{new_id, now_ms};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInInput {
    /// Login or e-mail address.
    pub login: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// Two-factor code, when enrolled: six digits from the authenticator app, or one of the
    /// recovery codes.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub totp: Option<SecretString>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    /// Bearer token for `Authorization: Bearer …` (the web pages carry it as a cookie).
    /// Shown once.
    pub token: String,
    /// When the session ends at the latest (RFC 3339); it ends sooner after two hours unused.
    pub expires_at: String,
    /// The organisation requires two-factor of one of this person's roles and they have not
    /// enrolled: this session may only enrol (an authenticator app, `/api/v1/account/mfa/totp`,
    /// or a passkey, `/api/v1/account/passkeys`).
    pub mfa_enrolment_required: bool,
    pub user: UserView,
    /// The device cookie for the browser or client that signed in (see [`super::device`]):
    /// the edges set it as a cookie, never in the body.
    #[serde(skip)]
    pub device_cookie: Option<String>,
}

/// Where a sign-in comes from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The client's address.
    pub source: Option<String>,
    pub user_agent: Option<String>,
    /// The device cookie the client sent, as it came (checked here, not at the edge).
    pub device: Option<String>,
}

impl Origin {
    /// The device cookie sent, when its signature holds and it names someone of `org_id`.
    async fn device(&self, app: &App, org_id: &str) -> Result<Option<super::device::Device>> {
        let Some(raw) = self.device.as_deref() else {
            return Ok(None);
        };
        Ok(super::device::verify(app, raw, now_ms())
            .await?
            .filter(|d| d.org_id == org_id))
    }
}

pub async fn sign_in(app: &App, org: &Org, input: SignInInput, origin: Origin) -> Result<SignedIn> {
    let checked = check_password(app, org, &input.login, input.password, &origin).await?;
    let Checked {
        who,
        user,
        mfa_enabled,
        keys,
        failed_before,
        verdict,
    } = checked;
    let target = (Some(user.id.as_str()), user.login.as_str());
    if let Err(e) = second_factor(app, &who, &user, mfa_enabled, input.totp.as_ref()).await {
        if let Error::SecondFactor(code) = &e
            && *code != "mfa.code_required"
        {
            fail(app, &who, &keys, target, code).await?;
        }
        return Err(e);
    }
    let keys = failed_before.then_some(&keys);
    open_session(app, &who, &user, mfa_enabled, keys, verdict, origin).await
}

/// The web pages' sign-in, in two steps for someone enrolled in two-factor: the password
/// first, then the code on a page of its own, so that the password never travels twice.
pub enum Step {
    SignedIn(Box<SignedIn>),
    /// The password was right: the code step's ticket (shown to no one: the pages keep it in
    /// a cookie), good for [`CODE_STEP_MS`] and for this one sign-in.
    CodeNeeded(SecretString),
}

/// How long a sign-in turned away by a full hashing pool waits before its 503.
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(200);

/// How long the code step waits after the password.
pub const CODE_STEP_MS: i64 = 5 * 60 * 1000;

/// The first step: login and password. Someone not enrolled is signed in at once.
pub async fn begin(
    app: &App,
    org: &Org,
    login: &str,
    password: SecretString,
    origin: Origin,
) -> Result<Step> {
    let checked = check_password(app, org, login, password, &origin).await?;
    if !checked.mfa_enabled {
        let keys = checked.failed_before.then_some(&checked.keys);
        return open_session(
            app,
            &checked.who,
            &checked.user,
            false,
            keys,
            checked.verdict,
            origin,
        )
        .await
        .map(|s| Step::SignedIn(Box::new(s)));
    }
    let now = now_ms();
    let ticket = secret::generate("sic_");
    let step = sesame_store::sign_in_steps::Step {
        id: new_id(),
        org_id: org.id().to_string(),
        user_id: checked.user.id.clone(),
    };
    let mut work = Work::begin(app).await?;
    if let Verdict::Right {
        new_hash: Some(hash),
    } = &checked.verdict
    {
        // The password just proved who they are: they act on themselves.
        let me = Actor::user(org.id(), &checked.user.id, vec![]);
        let allowed = me.may_edit(&crate::themselves(&checked.user.id))?;
        sesame_store::users::set_password_hash(&mut work, &allowed, Some(hash), now).await?;
    }
    let hash = secret::hash_secret(&ticket);
    sesame_store::sign_in_steps::insert(&mut work, &step, &hash, now, now + CODE_STEP_MS).await?;
    work.commit().await?;
    Ok(Step::CodeNeeded(ticket))
}

/// The code step's ticket, read: its step, organisation and person (active). Unknown, expired
/// or malformed: `auth.code_step_expired`. The code and the passkey as second factor share it.
pub(crate) async fn code_step(
    app: &App,
    ticket: &str,
) -> Result<(sesame_store::sign_in_steps::Step, Org, UserRow)> {
    let expired = || Error::Unauthenticated("auth.code_step_expired");
    let ticket = ticket.trim();
    if ticket.is_empty() || ticket.len() > 200 {
        return Err(expired());
    }
    let mut conn = app.store.read().await?;
    let step = sesame_store::sign_in_steps::live(&mut conn, &secret::hash(ticket), now_ms())
        .await?
        .ok_or_else(expired)?;
    let org = sesame_store::orgs::get(&mut conn, &step.org_id)
        .await?
        .ok_or_else(expired)?;
    let user = sesame_store::users::get(&mut conn, &step.org_id, &step.user_id)
        .await?
        .ok_or_else(expired)?;
    if user.status != Status::Active {
        return Err(Error::Unauthenticated("auth.disabled"));
    }
    Ok((step, Org::from_row(org), user))
}

/// The second factors a person whose password was right may use at the code step.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct SecondFactors {
    /// A code from the authenticator app, or one of the recovery codes.
    pub code: bool,
    /// One of their passkeys.
    pub passkey: bool,
}

/// What the code step's ticket may be finished with. Unknown or expired ticket:
/// `auth.code_step_expired`.
pub async fn second_factors(app: &App, ticket: &str) -> Result<SecondFactors> {
    let (step, _, user) = code_step(app, ticket).await?;
    let mut conn = app.store.read().await?;
    let totp = sesame_store::mfa::totp_of(&mut conn, &step.org_id, &user.id).await?;
    let passkeys = sesame_store::passkeys::count(&mut conn, &step.org_id, &user.id).await?;
    Ok(SecondFactors {
        code: totp.is_some_and(|t| t.confirmed_at.is_some()),
        passkey: passkeys > 0,
    })
}

/// The second step: the code (or a recovery code) for the ticket [`begin`] gave. A wrong code
/// counts as a failed sign-in of the account, as with the API; the ticket stays usable until
/// it expires, so that a mistyped code can be typed again.
pub async fn finish(
    app: &App,
    ticket: &str,
    code: SecretString,
    origin: Origin,
) -> Result<SignedIn> {
    let (step, org, user) = code_step(app, ticket).await?;
    let who = Principal {
        org: org.clone(),
        actor: Actor::user(org.id(), "", vec![]),
        person: Some(crate::Person::from(&user)),
        source: origin.source.clone(),
        token: None,
        must_enrol: false,
    };
    let device = origin
        .device(app, org.id())
        .await?
        .filter(|d| d.names(org.id(), &user.id));
    let keys = Keys::new(org.id(), &user.id, origin.source.as_deref()).with_device(device.as_ref());
    let wait = throttle::wait(app, &keys, now_ms()).await?;
    if wait.secs > 0 {
        return Err(Error::Throttled(wait.secs));
    }
    if let Err(e) = second_factor(app, &who, &user, true, Some(&code)).await {
        if let Error::SecondFactor(c) = &e
            && *c != "mfa.code_required"
        {
            fail(app, &who, &keys, (Some(&user.id), &user.login), c).await?;
        }
        return Err(e);
    }
    {
        let mut work = Work::begin(app).await?;
        let spent = sesame_store::sign_in_steps::spend(&mut work, &step.id, now_ms()).await?;
        work.commit().await?;
        if !spent {
            return Err(Error::Unauthenticated("auth.code_step_expired"));
        }
    }
    let keys = wait.failed_before.then_some(&keys);
    let verdict = Verdict::Right { new_hash: None };
    open_session(app, &who, &user, true, keys, verdict, origin).await
}

/// A right password of an active account, with what the rest of the sign-in needs.
struct Checked {
    who: Principal,
    user: UserRow,
    mfa_enabled: bool,
    keys: Keys,
    /// The account had failures before (their counters are forgotten on success).
    failed_before: bool,
    verdict: Verdict,
}

async fn check_password(
    app: &App,
    org: &Org,
    login: &str,
    password: SecretString,
    origin: &Origin,
) -> Result<Checked> {
    let key = checked_input(login, &password)?;
    // A device cookie whose signature holds may exempt this attempt from the address's wait
    // (if it names the person whose login was typed, seen below).
    let device = origin.device(app, org.id()).await?;
    // A flood from an address already blocked is answered before any reading.
    if device.is_none() {
        let known = throttle::known_wait(app, origin.source.as_deref(), now_ms());
        if known > 0 {
            return Err(Error::Throttled(known));
        }
    }
    // A place in the hashing pool before any reading: beyond what the pool can take, the
    // answer is 503 at once, at the cost of nothing.
    let lane = if device.is_some() {
        Lane::Known
    } else {
        Lane::Anyone
    };
    let mut place = match app.hasher.admit(lane) {
        Ok(p) => p,
        Err(e) => {
            // A client turned away comes straight back; a short pause before the answer keeps
            // a closed loop of them from spinning (it costs a timer, not a thread).
            tokio::time::sleep(BUSY_PAUSE).await;
            return Err(e);
        }
    };
    let found = {
        let mut conn = app.store.read().await?;
        sesame_store::users::for_sign_in(&mut conn, org.id(), &key).await?
    };
    let (user, hash, mfa_enabled) = match found {
        Some(c) => (Some(c.user), c.password_hash, c.mfa_enabled),
        None => (None, None, false),
    };
    // The cookie counts only for the person it names.
    let device = device.filter(|d| user.as_ref().is_some_and(|u| d.names(org.id(), &u.id)));
    if lane == Lane::Known && device.is_none() {
        drop(place);
        place = app.hasher.admit(Lane::Anyone)?;
    }
    let keys = Keys::new(
        org.id(),
        user.as_ref().map_or(key.as_str(), |u| u.id.as_str()),
        origin.source.as_deref(),
    )
    .with_device(device.as_ref());
    let wait = throttle::wait(app, &keys, now_ms()).await?;
    if wait.secs > 0 {
        return Err(Error::Throttled(wait.secs));
    }
    let verdict = app.hasher.verify_admitted(place, password, hash).await?;
    let anonymous = Principal {
        org: org.clone(),
        actor: Actor::user(org.id(), "", vec![]),
        person: None,
        source: origin.source.clone(),
        token: None,
        must_enrol: false,
    };
    let label = user.as_ref().map_or(key.clone(), |u| u.login.clone());
    let target = user.as_ref().map(|u| u.id.clone());
    let target = target.as_deref();
    let user = match (user, &verdict) {
        (Some(u), Verdict::Right { .. }) if u.status == Status::Active => u,
        (Some(u), Verdict::Right { .. }) if u.status == Status::Disabled => {
            let who = Principal {
                person: Some(crate::Person::from(&u)),
                ..anonymous
            };
            fail(app, &who, &keys, (target, &label), "disabled").await?;
            return Err(Error::Unauthenticated("auth.disabled"));
        }
        _ => {
            fail(
                app,
                &anonymous,
                &keys,
                (target, &label),
                "wrong_credentials",
            )
            .await?;
            return Err(Error::Unauthenticated("auth.failed"));
        }
    };
    let who = Principal {
        person: Some(crate::Person::from(&user)),
        ..anonymous
    };
    Ok(Checked {
        who,
        user,
        mfa_enabled,
        keys,
        failed_before: wait.failed_before,
        verdict,
    })
}

/// The checks made before anything is read, the same whatever the organisation: answers the
/// login folded for the lookup.
fn precheck(app: &App, login: &str, password: &SecretString, origin: &Origin) -> Result<String> {
    let key = checked_input(login, password)?;
    // A flood from an address already blocked is answered before any reading.
    let known = throttle::known_wait(app, origin.source.as_deref(), now_ms());
    if known > 0 {
        return Err(Error::Throttled(known));
    }
    Ok(key)
}

/// The login typed, folded, and the password's length: refused before anything is read.
fn checked_input(login: &str, password: &SecretString) -> Result<String> {
    let key = sesame_core::error::trim_all(login).to_lowercase();
    if key.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "login",
            "login.empty",
        )]));
    }
    if key.chars().count() > 320 {
        return Err(Error::Invalid(vec![
            FieldError::new("login", "text.too_long").with("max", "320"),
        ]));
    }
    // No password longer than the policy allows was ever set: refused before any hashing, the
    // same for every login.
    let max = crate::password::MAX_CHARS;
    if password.expose_secret().chars().count() > max {
        return Err(Error::Invalid(vec![
            FieldError::new("password", "password.too_long").with("max", max.to_string()),
        ]));
    }
    Ok(key)
}

/// A sign-in that names an organisation this server does not hold: refused exactly as a wrong
/// password is — after as long (a hash is checked), counted by the same throttle, with the
/// same `auth.failed` — so that nobody learns which identifiers exist.
pub async fn refuse_unknown_org(
    app: &App,
    org: &str,
    login: &str,
    password: SecretString,
    origin: &Origin,
) -> Error {
    let refused: Result<()> = async {
        let key = precheck(app, login, &password, origin)?;
        let phantom = unknown_org_key(org);
        let keys = Keys::new(&phantom, &key, origin.source.as_deref());
        let wait = throttle::wait(app, &keys, now_ms()).await?;
        if wait.secs > 0 {
            return Err(Error::Throttled(wait.secs));
        }
        let _ = app.hasher.verify(password, None).await?;
        app.metrics.sign_in(crate::metrics::SignIn::Failed);
        let mut work = Work::begin(app).await?;
        throttle::record_failure(app, &mut work, &keys, now_ms()).await?;
        work.commit().await?;
        Err(Error::Unauthenticated("auth.failed"))
    }
    .await;
    refused
        .err()
        .unwrap_or(Error::Unauthenticated("auth.failed"))
}

/// What stands for an organisation that does not exist in the throttle's keys.
pub(crate) fn unknown_org_key(org: &str) -> String {
    let folded: String = sesame_core::error::trim_all(org)
        .to_lowercase()
        .chars()
        .take(64)
        .collect();
    format!("unknown-org:{folded}")
}

/// Checks the second factor of someone enrolled; nothing to check otherwise.
async fn second_factor(
    app: &App,
    who: &Principal,
    user: &UserRow,
    enrolled: bool,
    typed: Option<&SecretString>,
) -> Result<()> {
    if !enrolled {
        return Ok(());
    }
    let Some(typed) = typed.filter(|t| !t.expose_secret().trim().is_empty()) else {
        return Err(Error::SecondFactor("mfa.code_required"));
    };
    let mut work = Work::begin(app).await?;
    two_factor::check_code(&mut work, who, &user.id, typed).await?;
    work.commit().await?;
    Ok(())
}

pub(crate) async fn open_session(
    app: &App,
    who: &Principal,
    user: &UserRow,
    mfa_enabled: bool,
    // The counters to forget, when the account had failures.
    failed_before: Option<&Keys>,
    verdict: Verdict,
    origin: Origin,
) -> Result<SignedIn> {
    // A person with an authenticator cannot open a session without its code.
    let proof = if mfa_enabled {
        Proof::PASSWORD_AND_CODE
    } else {
        Proof::PASSWORD
    };
    open_session_as(app, who, user, proof, failed_before, verdict, origin).await
}

/// How a person proved who they are, for the session's `amr` (RFC 8176) and the per-role
/// two-factor rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Proof {
    /// A second factor was shown (a code, or a passkey with user verification).
    pub second_factor: bool,
    pub amr: &'static str,
}

impl Proof {
    pub const PASSWORD: Proof = Proof {
        second_factor: false,
        amr: "pwd",
    };
    pub const PASSWORD_AND_CODE: Proof = Proof {
        second_factor: true,
        amr: "pwd otp mfa",
    };
    /// A passkey alone: a hardware-held key, unlocked by the person (fingerprint, face, PIN).
    pub const PASSKEY: Proof = Proof {
        second_factor: true,
        amr: "hwk user",
    };
    pub const PASSWORD_AND_PASSKEY: Proof = Proof {
        second_factor: true,
        amr: "pwd hwk user mfa",
    };
}

/// [`open_session`], saying how the person proved who they are.
pub(crate) async fn open_session_as(
    app: &App,
    who: &Principal,
    user: &UserRow,
    proof: Proof,
    failed_before: Option<&Keys>,
    verdict: Verdict,
    origin: Origin,
) -> Result<SignedIn> {
    let mfa_enabled = proof.second_factor;
    let org = &who.org;
    let now = now_ms();
    let secret = secret::generate("ses_");
    let row = TokenRow {
        id: new_id(),
        org_id: org.id().to_string(),
        user_id: user.id.clone(),
        kind: "session".into(),
        name: "session".into(),
        permissions: None,
        created_at: now,
        expires_at: Some(now + SESSION_LIFETIME_MS),
        last_used_at: Some(now),
        revoked_at: None,
        source: origin.source.clone(),
        last_source: origin.source.clone(),
        user_agent: origin.user_agent.map(|ua| ua.chars().take(300).collect()),
    };
    // The password (and the code) just proved who they are: they act on themselves.
    let me = Actor::user(org.id(), &user.id, vec![]);
    let issue = me.may_issue_token(&crate::themselves(&user.id))?;
    let mut work = Work::begin(app).await?;
    if let Some(keys) = failed_before {
        throttle::record_success(&mut work, keys).await?;
    }
    if let Verdict::Right {
        new_hash: Some(hash),
    } = &verdict
    {
        let allowed = me.may_edit(&crate::themselves(&user.id))?;
        sesame_store::users::set_password_hash(&mut work, &allowed, Some(hash), now).await?;
    }
    sesame_store::tokens::insert(&mut work, &issue, &row, &secret::hash_secret(&secret)).await?;
    // How they proved it, for the applications they sign in to (`amr`, issue 21).
    sesame_store::oidc::set_session_amr(&mut work, &row.id, proof.amr).await?;
    work.record(
        who,
        Change {
            action: "auth.sign_in",
            target_type: "user",
            target_id: Some(&user.id),
            target_label: Some(&user.login),
            before: None,
            after: Some(serde_json::json!({
                "session_id": row.id,
                "password_rehashed": matches!(verdict, Verdict::Right { new_hash: Some(_) }),
            })),
        },
    )
    .await?;
    let target = load_target(&mut work, org, &user.id).await?;
    let grace = sesame_store::mfa_grace::get(&mut work, org.id(), &user.id).await?;
    let must_enrol = crate::grace::must_enrol(
        target.held.iter().any(|h| h.requires_mfa),
        mfa_enabled,
        grace.map(|g| g.deadline),
        now,
    );
    work.commit().await?;
    app.metrics.sign_in(crate::metrics::SignIn::Succeeded);
    // A new device cookie at each sign-in: the browser that just proved who it is.
    let device_cookie = Some(super::device::issue(app, org.id(), &user.id, now).await?);
    Ok(SignedIn {
        token: secret.expose_secret().to_string(),
        expires_at: crate::time::rfc3339(now + SESSION_LIFETIME_MS),
        mfa_enrolment_required: must_enrol,
        user: target.view(org),
        device_cookie,
    })
}

/// Counts and audits a failed attempt on `target` (the account's id when the login is known,
/// and its label).
pub(crate) async fn fail(
    app: &App,
    who: &Principal,
    keys: &Keys,
    target: (Option<&str>, &str),
    reason: &str,
) -> Result<()> {
    app.metrics.sign_in(crate::metrics::SignIn::Failed);
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    let counted = throttle::record_failure(app, &mut work, keys, now).await?;
    // The failure that starts slowing an account down is told to the administrators who asked.
    let alert = counted.account_failures == app.throttle.account.free;
    if alert
        && let Some(id) = target.0
        && let Some(user) = sesame_store::users::get(&mut work, who.org.id(), id).await?
    {
        crate::notifications::alert_security(
            &mut work,
            &who.org,
            "sign_in_blocked",
            &user,
            None,
            Some(counted.account_failures),
        )
        .await?;
    }
    work.record(
        who,
        Change {
            action: "auth.sign_in_failed",
            target_type: "user",
            target_id: target.0,
            target_label: Some(target.1),
            before: None,
            after: Some(serde_json::json!({
                "reason": reason,
                "failures": counted.account_failures,
                "blocked_for_secs": counted.blocked_for_secs,
            })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}
