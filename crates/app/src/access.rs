//! Access by e-mail: sending an invitation (or, once the person is active, a password-reset
//! link), activating an account from its invitation, the forgotten-password request and its
//! confirmation, confirming a new e-mail address, and asking for a new link when one is spent.
//!
//! A link's token is checked by its SHA-256 only; the answer tells an unknown (forged,
//! truncated) token from one that is expired, used or replaced, and only the latter may be
//! renewed — to the address the account already has, so renewing reveals and gives nothing.

use crate::audit::{Change, record};
use crate::auth::sign_in::{Origin, SignedIn};
use crate::mail::{Kind, Letter, LinkKind};
use crate::users::{check_new_password, load_target};
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, secret};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_core::Status;
use sesame_core::policy::Actor;
use sesame_store::links::LinkRow;
use sesame_store::users::UserRow;
use sesame_store::{Conn, now_ms};

/// What `send_access` sent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessSent {
    /// `invitation` (the person never signed in) or `password_reset` (they are active).
    pub kind: String,
    /// The outbox message, to follow its delivery (`GET /api/v1/outbox/{id}`).
    pub message_id: String,
}

/// Sends an invitation to an invited person, a password-reset link to an active one; refused
/// when their address already had its e-mails of the hour ([`crate::mail::limit`]).
pub async fn send_access(app: &App, who: &Principal, user_id: &str) -> Result<AccessSent> {
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, user_id).await?;
    who.actor.may_invite(&target.subject())?;
    let kind = match target.row.status {
        Status::Invited => Kind::Invitation,
        Status::Active => Kind::PasswordReset,
        _ => return Err(Error::Refused(FieldError::new("id", "invitation.disabled"))),
    };
    let message_id = work
        .queue(org, Letter::new(kind, &target.row).by(who.person()))
        .await?
        .ok_or(Error::Refused(FieldError::new(
            "email",
            "invitation.no_email",
        )))?;
    // `queue` found the address: the person has one.
    let address = target.row.email.as_deref().unwrap_or_default();
    crate::mail::limit::count_one(&mut work, org, address, kind.code(), &message_id, now_ms())
        .await?;
    work.record(
        who,
        Change {
            action: if kind == Kind::Invitation {
                "user.invitation_sent"
            } else {
                "user.reset_link_sent"
            },
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&target.row.login),
            before: None,
            after: Some(serde_json::json!({ "message_id": message_id })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(AccessSent {
        kind: kind.code().into(),
        message_id,
    })
}

/// A token and a new password, from an invitation or a password-reset link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenPassword {
    /// The `token` parameter of the link.
    #[schema(value_type = String)]
    pub token: SecretString,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// A token alone (confirming an e-mail address, asking for a new link).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenOnly {
    #[schema(value_type = String)]
    pub token: SecretString,
}

/// What a live link is for, for the page it opens.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkInfo {
    pub kind: LinkKind,
    pub login: String,
    pub organisation: String,
    /// For an e-mail change: the address to confirm.
    pub new_email: Option<String>,
    /// RFC 3339.
    pub expires_at: String,
    /// The person's language (`fr`, `en`), for the page.
    pub language: String,
}

/// The live link behind `token`, of `kind`; the precise reason otherwise.
async fn open(conn: &mut Conn, token: &str, kind: LinkKind) -> Result<(LinkRow, UserRow)> {
    let token = token.trim();
    // 43 URL-safe characters (256 bits): anything else was never issued.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::Link("link.invalid"));
    }
    let link = sesame_store::links::by_hash(conn, &secret::hash(token))
        .await?
        .ok_or(Error::Link("link.invalid"))?;
    if link.kind != kind.code() {
        return Err(Error::Link("link.wrong_kind"));
    }
    if link.used_at.is_some() {
        return Err(Error::Link("link.used"));
    }
    if link.cancelled_at.is_some() {
        return Err(Error::Link("link.replaced"));
    }
    if link.expires_at <= now_ms() {
        return Err(Error::Link("link.expired"));
    }
    let user = sesame_store::users::get(conn, &link.org_id, &link.user_id)
        .await?
        .filter(|u| u.status != Status::Deleted)
        .ok_or(Error::Link("link.invalid"))?;
    if user.status == Status::Disabled {
        return Err(Error::Unauthenticated("auth.disabled"));
    }
    Ok((link, user))
}

async fn org_of(conn: &mut Conn, org_id: &str) -> Result<Org> {
    sesame_store::orgs::get(conn, org_id)
        .await?
        .map(Org::from_row)
        .ok_or(Error::NotFound("organisation"))
}

/// What the link behind `token` is, if it can be used.
pub async fn inspect(app: &App, token: &str, kind: LinkKind) -> Result<LinkInfo> {
    let mut conn = app.store.read().await?;
    let (link, user) = open(&mut conn, token, kind).await?;
    let org = org_of(&mut conn, &link.org_id).await?;
    Ok(LinkInfo {
        kind,
        login: user.login,
        organisation: org.row.name,
        new_email: link.new_email,
        expires_at: crate::time::rfc3339(link.expires_at),
        language: user.language,
    })
}

/// The person themself, acting through a link.
fn themself(org: &Org, user: &UserRow, source: Option<String>) -> Principal {
    Principal {
        org: org.clone(),
        actor: Actor::user(org.id(), &user.id, vec![]),
        person: Some(crate::Person::from(user)),
        source,
        token: None,
        must_enrol: false,
    }
}

/// Records what the person did through a link (or asked for).
async fn audit(
    tx: &mut Conn,
    who: &Principal,
    action: &'static str,
    user: &UserRow,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    record(
        tx,
        who,
        Change {
            action,
            target_type: "user",
            target_id: Some(&user.id),
            target_label: Some(&user.login),
            before,
            after,
        },
    )
    .await
}

/// Uses the link once inside `tx`; a concurrent use of the same link loses here, as does a
/// link replaced or expired since it was opened (each told as such).
async fn spend(tx: &mut Conn, link: &LinkRow) -> Result<()> {
    let now = now_ms();
    if sesame_store::links::use_once(tx, &link.id, now).await? {
        return Ok(());
    }
    let code = match sesame_store::links::by_id(tx, &link.id).await? {
        Some(l) if l.cancelled_at.is_some() => "link.replaced",
        Some(l) if l.used_at.is_none() && l.expires_at <= now => "link.expired",
        _ => "link.used",
    };
    Err(Error::Link(code))
}

/// Checks the new password against the policy, then hashes it (off the async threads).
async fn new_hash(app: &App, org: &Org, user: &UserRow, password: SecretString) -> Result<String> {
    {
        let mut conn = app.store.read().await?;
        let target = load_target(&mut conn, org, &user.id).await?;
        check_new_password(org, &target, &password)?;
    }
    app.hasher.hash(password).await
}

/// `POST /account/activate`: the invited person chooses their password and is signed in. A
/// password the policy refuses leaves the link usable.
pub async fn activate(app: &App, input: TokenPassword, origin: Origin) -> Result<SignedIn> {
    let (link, user, org) = {
        let mut conn = app.store.read().await?;
        let (link, user) =
            open(&mut conn, input.token.expose_secret(), LinkKind::Invitation).await?;
        let org = org_of(&mut conn, &link.org_id).await?;
        (link, user, org)
    };
    if user.status != Status::Invited {
        // Activated meanwhile (another link, the operator): this invitation is spent.
        return Err(Error::Link("link.used"));
    }
    let hash = new_hash(app, &org, &user, input.password).await?;
    let who = themself(&org, &user, origin.source.clone());
    let allowed = who.actor.may_edit(&crate::themselves(&user.id))?;
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    spend(&mut work, &link).await?;
    sesame_store::users::set_password_hash(&mut work, &allowed, Some(&hash), now).await?;
    let mut active = user.clone();
    active.status = Status::Active;
    active.updated_at = now;
    sesame_store::users::update(&mut work, &allowed, &active).await?;
    audit(
        &mut work,
        &who,
        "user.activate",
        &user,
        Some(serde_json::json!({ "status": "invited" })),
        Some(serde_json::json!({ "status": "active" })),
    )
    .await?;
    alert_member_joined(&mut work, &org, &active).await?;
    work.commit().await?;
    let who = Principal {
        person: Some(crate::Person::from(&active)),
        ..who
    };
    crate::auth::sign_in::open_session(
        app,
        &who,
        &active,
        false,
        None,
        crate::password::Verdict::Right { new_hash: None },
        origin,
    )
    .await
}

/// Tells those who asked for it that a member joined (in one of their groups, if they filter).
async fn alert_member_joined(work: &mut Work, org: &Org, member: &UserRow) -> Result<()> {
    let groups: Vec<String> =
        sesame_store::groups::of_users(work, org.id(), std::slice::from_ref(&member.id))
            .await?
            .into_iter()
            .map(|(_, g)| g.id)
            .collect();
    for r in crate::notifications::recipients_in(work, org, "member_joined", &groups).await? {
        if r.id == member.id {
            continue;
        }
        let mut letter = Letter::new(Kind::MemberJoined, &r);
        letter.member = Some(member);
        work.queue(org, letter).await?;
    }
    Ok(())
}

/// `POST /account/password-reset` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

/// Requests per address, and per source, within [`REQUEST_WINDOW_MS`].
const REQUESTS_PER_ADDRESS: i64 = 3;
const REQUESTS_PER_SOURCE: i64 = 20;
const REQUEST_WINDOW_MS: i64 = 3_600_000;

/// The address of a forgotten-password request, once its limits allow it (per address of
/// the organisation `org_key`, per source).
async fn reset_allowed(
    app: &App,
    org_key: &str,
    input: &ResetRequest,
    source: Option<&str>,
) -> Result<sesame_core::Email> {
    let email =
        sesame_core::Email::parse(&input.email).map_err(|e| Error::Invalid(vec![e.on("email")]))?;
    let keys = [
        Some(format!("reset:address:{org_key}:{}", email.as_str())),
        source
            .filter(|s| *s != "cli")
            .map(|s| format!("reset:source:{s}")),
    ];
    request_allowed(app, &keys, [REQUESTS_PER_ADDRESS, REQUESTS_PER_SOURCE]).await?;
    Ok(email)
}

/// A forgotten-password request naming an organisation this server does not hold: answered
/// as one for an address nobody has (the same checks and limits, nothing sent), so that nobody
/// learns which identifiers exist.
pub async fn request_reset_in_unknown_org(
    app: &App,
    org: &str,
    input: ResetRequest,
    source: Option<&str>,
) -> Result<()> {
    let key = crate::auth::sign_in::unknown_org_key(org);
    reset_allowed(app, &key, &input, source).await.map(drop)
}

/// `POST /account/password-reset`: sends a reset link to an active account with this address
/// (its invitation again, to an invited one), nothing otherwise; the answer is the same. Limited
/// per address and per source, counted alike for known and unknown addresses.
pub async fn request_reset(
    app: &App,
    org: &Org,
    input: ResetRequest,
    source: Option<&str>,
) -> Result<()> {
    let email = reset_allowed(app, org.id(), &input, source).await?;
    let email = email.as_str();
    let mut work = Work::begin(app).await?;
    let user = sesame_store::users::by_email(&mut work, org.id(), email).await?;
    let kind = match user.as_ref().map(|u| u.status) {
        Some(Status::Active) => Some(Kind::PasswordReset),
        Some(Status::Invited) => Some(Kind::Invitation),
        _ => None,
    };
    if let (Some(kind), Some(user)) = (kind, &user) {
        let who = themself(org, user, source.map(str::to_string));
        work.queue(org, Letter::new(kind, user)).await?;
        audit(
            &mut work,
            &who,
            "user.reset_requested",
            user,
            None,
            Some(serde_json::json!({ "sent": kind.code() })),
        )
        .await?;
    }
    work.commit().await?;
    Ok(())
}

/// Counts one request on each key; refuses it (with the seconds to wait) beyond the limits.
async fn request_allowed(app: &App, keys: &[Option<String>; 2], limits: [i64; 2]) -> Result<()> {
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    let mut wait_ms = 0;
    for (key, limit) in keys.iter().zip(limits) {
        let Some(key) = key else { continue };
        let seen = sesame_store::throttle::get(&mut work, &[key.as_str()]).await?;
        if let Some(Some(f)) = seen.first()
            && f.last_at > now - REQUEST_WINDOW_MS
            && f.count >= limit
        {
            wait_ms = wait_ms.max(f.last_at + REQUEST_WINDOW_MS - now);
        }
    }
    if wait_ms > 0 {
        return Err(Error::Throttled(
            u64::try_from(wait_ms).unwrap_or(1000).div_ceil(1000),
        ));
    }
    for key in keys.iter().flatten() {
        sesame_store::throttle::record(&mut work, key, now, now - REQUEST_WINDOW_MS).await?;
    }
    work.commit().await?;
    Ok(())
}

/// `POST /account/password-reset/confirm`: the new password, from the link; every session of
/// the person ends, and they are told by e-mail. They then sign in (with their second factor,
/// if they have one: a reset link does not replace it).
pub async fn confirm_reset(app: &App, input: TokenPassword, source: Option<&str>) -> Result<()> {
    let (link, user, org) = {
        let mut conn = app.store.read().await?;
        let (link, user) = open(
            &mut conn,
            input.token.expose_secret(),
            LinkKind::PasswordReset,
        )
        .await?;
        let org = org_of(&mut conn, &link.org_id).await?;
        (link, user, org)
    };
    let hash = new_hash(app, &org, &user, input.password).await?;
    let who = themself(&org, &user, source.map(str::to_string));
    let allowed = who.actor.may_edit(&crate::themselves(&user.id))?;
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    spend(&mut work, &link).await?;
    sesame_store::users::set_password_hash(&mut work, &allowed, Some(&hash), now).await?;
    if user.status == Status::Invited {
        let mut active = user.clone();
        active.status = Status::Active;
        active.updated_at = now;
        sesame_store::users::update(&mut work, &allowed, &active).await?;
    }
    let ended = sesame_store::tokens::revoke_sessions_of(&mut work, &allowed, None, now).await?;
    // The account's failed sign-ins are forgotten: the person proved they hold the address.
    let keys = crate::auth::throttle::Keys::new(org.id(), &user.id, None);
    crate::auth::throttle::record_success(&mut work, &keys).await?;
    work.queue(&org, Letter::new(Kind::PasswordChanged, &user))
        .await?;
    audit(
        &mut work,
        &who,
        "user.password_reset",
        &user,
        None,
        Some(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    work.commit().await?;
    app.blocked.clear();
    Ok(())
}

/// What confirming an address did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmailConfirmed {
    pub login: String,
    pub email: String,
}

/// `POST /account/email/confirm`: the new address, confirmed from the link sent to it, takes
/// effect.
pub async fn confirm_email(app: &App, token: &str, source: Option<&str>) -> Result<EmailConfirmed> {
    let mut work = Work::begin(app).await?;
    let (link, user) = open(&mut work, token, LinkKind::EmailChange).await?;
    let org = org_of(&mut work, &link.org_id).await?;
    let new = link.new_email.clone().ok_or(Error::Link("link.invalid"))?;
    if let Some(other) = sesame_store::users::by_email(&mut work, org.id(), &new).await?
        && other.id != user.id
    {
        return Err(Error::Conflict(vec![
            FieldError::new("email", "email.taken").with("value", &new),
        ]));
    }
    spend(&mut work, &link).await?;
    let who = themself(&org, &user, source.map(str::to_string));
    let allowed = who.actor.may_edit(&crate::themselves(&user.id))?;
    let mut row = user.clone();
    row.email = Some(new.clone());
    row.updated_at = now_ms();
    sesame_store::users::update(&mut work, &allowed, &row).await?;
    audit(
        &mut work,
        &who,
        "user.email_confirmed",
        &user,
        Some(serde_json::json!({ "email": user.email })),
        Some(serde_json::json!({ "email": new })),
    )
    .await?;
    work.commit().await?;
    Ok(EmailConfirmed {
        login: user.login,
        email: new,
    })
}

/// `POST /account/links/renew`: a spent link (expired, used, replaced) brings a new one to the
/// account's own address: an invitation while the person is invited, a reset link once they
/// are active, a new confirmation for an e-mail change. An unknown token gets nothing.
pub async fn renew(app: &App, token: &str, source: Option<&str>) -> Result<()> {
    let token = token.trim();
    let (link, org, user) = {
        let mut conn = app.store.read().await?;
        let link = sesame_store::links::by_hash(&mut conn, &secret::hash(token))
            .await?
            .ok_or(Error::Link("link.invalid"))?;
        let org = org_of(&mut conn, &link.org_id).await?;
        let user = sesame_store::users::get(&mut conn, org.id(), &link.user_id)
            .await?
            .ok_or(Error::Link("link.invalid"))?;
        (link, org, user)
    };
    let keys = [
        Some(format!("reset:user:{}", user.id)),
        source
            .filter(|s| *s != "cli")
            .map(|s| format!("reset:source:{s}")),
    ];
    request_allowed(app, &keys, [REQUESTS_PER_ADDRESS, REQUESTS_PER_SOURCE]).await?;
    let mut work = Work::begin(app).await?;
    let mut letter = match (link.kind.as_str(), user.status) {
        ("email_change", Status::Active | Status::Invited) => {
            let mut l = Letter::new(Kind::EmailChange, &user);
            l.to = link.new_email.as_deref();
            l.new_email = link.new_email.as_deref();
            Some(l)
        }
        (_, Status::Invited) => Some(Letter::new(Kind::Invitation, &user)),
        (_, Status::Active) => Some(Letter::new(Kind::PasswordReset, &user)),
        // Disabled or deleted: nothing, and the same answer.
        _ => None,
    };
    if let Some(l) = letter.take() {
        let kind = l.kind;
        work.queue(&org, l).await?;
        let who = themself(&org, &user, source.map(str::to_string));
        audit(
            &mut work,
            &who,
            "user.link_renewed",
            &user,
            None,
            Some(serde_json::json!({ "sent": kind.code() })),
        )
        .await?;
    }
    work.commit().await?;
    Ok(())
}
