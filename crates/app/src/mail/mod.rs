//! E-mail from Sésame: what each message says (`render`) and how it is queued (in the same
//! transaction as the change that causes it, [`queue`]); the worker that delivers the queue is
//! [`crate::delivery`]. Links are minted when a message is delivered, so the outbox never holds
//! a secret; only the link's hash is stored.

pub mod limit;
mod render;
pub mod signature;

pub use render::{Link, Rendered, escape, render};

use crate::{Org, Person, Result};
use serde::{Deserialize, Serialize};
use sesame_core::Language;
use sesame_mail::Transport;
use sesame_store::users::UserRow;
use sesame_store::{Conn, new_id, now_ms};
use std::sync::Arc;

/// How this instance sends e-mail.
#[derive(Clone, Debug)]
pub struct Mailer {
    pub transport: Transport,
    /// Base of the links in messages (`https://comptes.example.org`), without a final `/`.
    pub public_url: String,
    /// Sender address of organisations that set none.
    pub default_from: String,
    /// Woken when a message is queued, so it leaves at once rather than at the next poll: by
    /// [`crate::work::Work::commit`] only, after the commit that queued it.
    pub wake: Arc<tokio::sync::Notify>,
    /// The retry schedule's unit: 1,000 ms in production (30 s, 2 min, …); tests shrink it.
    pub retry_unit_ms: i64,
    /// How often the worker looks for due messages when nothing wakes it.
    pub poll_ms: u64,
    /// How long a worker holds the messages it took before another may take them (a crash).
    pub lease_ms: i64,
    /// Messages delivered at the same time.
    pub concurrency: usize,
}

impl Mailer {
    pub fn new(transport: Transport, public_url: &str, default_from: &str) -> Self {
        Self {
            transport,
            public_url: public_url.trim_end_matches('/').to_string(),
            default_from: default_from.to_string(),
            wake: Arc::new(tokio::sync::Notify::new()),
            retry_unit_ms: 1000,
            poll_ms: 5000,
            lease_ms: 120_000,
            concurrency: 8,
        }
    }
}

impl Default for Mailer {
    /// Files under `./sesame-data/mail`, links to the default listen address.
    fn default() -> Self {
        Self::new(
            Transport::Files("sesame-data/mail".into()),
            "http://127.0.0.1:8080",
            "sesame@localhost",
        )
    }
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Choose a password and activate the account (link, 7 days by default).
    Invitation,
    /// Choose a new password (link, 1 hour by default).
    PasswordReset,
    /// Notice: the password was changed.
    PasswordChanged,
    MfaEnabled,
    MfaDisabled,
    /// Notice: an administrator turned two-factor sign-in off for this person.
    MfaReset,
    /// To the new address: confirm it (link).
    EmailChange,
    /// To the old address: the address is about to change.
    EmailChanged,
    /// Alert to those who asked: a new member joined.
    MemberJoined,
    /// Alert to the administrators who asked: a security event (`Params::event`).
    SecurityAlert,
    /// Alert to those who asked: an import was written (`Params::import`).
    ImportFinished,
    /// Notice: someone else changed which alerts this person receives.
    AlertsChanged,
    /// Notice: someone else changed this person's signature.
    SignatureChanged,
    /// Reminder: a role now requires two-factor; it may wait until the deadline (`Params::deadline`).
    MfaGraceStarted,
    /// Reminder: three days (`Params::count`) left to turn two-factor on.
    MfaGraceSoon,
    /// Reminder: the last day to turn two-factor on.
    MfaGraceLastDay,
    /// Notice: a passkey was added to the account (`Params::device` names it).
    PasskeyAdded,
    /// Notice: a passkey was removed (`Params::device`), or all of them by an administrator.
    PasskeyRemoved,
    /// Reminder of an invitation not yet accepted, with a fresh link (`Params::count`: days
    /// since the first invitation).
    InvitationReminder,
}

impl Kind {
    pub const ALL: [Kind; 19] = [
        Kind::Invitation,
        Kind::PasswordReset,
        Kind::PasswordChanged,
        Kind::MfaEnabled,
        Kind::MfaDisabled,
        Kind::MfaReset,
        Kind::EmailChange,
        Kind::EmailChanged,
        Kind::MemberJoined,
        Kind::SecurityAlert,
        Kind::ImportFinished,
        Kind::AlertsChanged,
        Kind::SignatureChanged,
        Kind::MfaGraceStarted,
        Kind::MfaGraceSoon,
        Kind::MfaGraceLastDay,
        Kind::PasskeyAdded,
        Kind::PasskeyRemoved,
        Kind::InvitationReminder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::PasswordReset => "password_reset",
            Kind::PasswordChanged => "password_changed",
            Kind::MfaEnabled => "mfa_enabled",
            Kind::MfaDisabled => "mfa_disabled",
            Kind::MfaReset => "mfa_reset",
            Kind::EmailChange => "email_change",
            Kind::EmailChanged => "email_changed",
            Kind::MemberJoined => "member_joined",
            Kind::SecurityAlert => "security_alert",
            Kind::ImportFinished => "import_finished",
            Kind::AlertsChanged => "alerts_changed",
            Kind::SignatureChanged => "signature_changed",
            Kind::MfaGraceStarted => "mfa_grace_started",
            Kind::MfaGraceSoon => "mfa_grace_soon",
            Kind::MfaGraceLastDay => "mfa_grace_last_day",
            Kind::PasskeyAdded => "passkey_added",
            Kind::PasskeyRemoved => "passkey_removed",
            Kind::InvitationReminder => "invitation_reminder",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// An invitation or its reminder: followed in `invitations` ([`crate::invitations`]).
    pub fn invites(self) -> bool {
        matches!(self, Kind::Invitation | Kind::InvitationReminder)
    }

    /// The link a message of this kind carries: the link kind and the page it opens.
    pub fn link(self) -> Option<LinkKind> {
        match self {
            Kind::Invitation | Kind::InvitationReminder => Some(LinkKind::Invitation),
            Kind::PasswordReset => Some(LinkKind::PasswordReset),
            Kind::EmailChange => Some(LinkKind::EmailChange),
            _ => None,
        }
    }
}

/// The kinds of single-use links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Invitation,
    PasswordReset,
    EmailChange,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Invitation => "invitation",
            LinkKind::PasswordReset => "password_reset",
            LinkKind::EmailChange => "email_change",
        }
    }

    pub fn parse(code: &str) -> Option<LinkKind> {
        [
            LinkKind::Invitation,
            LinkKind::PasswordReset,
            LinkKind::EmailChange,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// The page the link opens.
    pub fn path(self) -> &'static str {
        match self {
            LinkKind::Invitation => "/activate",
            LinkKind::PasswordReset => "/password-reset",
            LinkKind::EmailChange => "/confirm-email",
        }
    }

    /// How long a new link stays valid, in milliseconds.
    pub fn lifetime_ms(self, org: &Org) -> i64 {
        match self {
            LinkKind::Invitation => org.row.invitation_ttl_hours * 3_600_000,
            LinkKind::PasswordReset => org.row.reset_ttl_minutes * 60_000,
            LinkKind::EmailChange => 24 * 3_600_000,
        }
    }
}

/// What a message needs besides its kind, kept in the outbox row. Never a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// How to greet the recipient: their first name, else their login.
    pub name: String,
    pub login: String,
    pub org_name: String,
    /// Who caused the message (an administrator's name), when it was not the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The acting administrator's signature, as plain text and as sanitised HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_html: Option<String>,
    /// For an e-mail change: the new address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_email: Option<String>,
    /// For an alert about someone else (a member who joined): their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// For a security alert: what happened (`mfa_reset`, `sign_in_blocked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// For a security alert: how many failed sign-ins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// For an import's alert: the file and its counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportCounts>,
    /// For a two-factor reminder: the deadline (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i64>,
    /// A page the message's button opens (not a single-use link: no secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For a passkey's notice: its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// What an import did, for its alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub file: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: usize,
}

/// How a message names a person: "Léa Martin", else their login.
pub fn display_name(u: &UserRow) -> String {
    crate::person::display_name(u.first_name.as_deref(), u.last_name.as_deref(), &u.login)
}

/// What to queue: a message of `kind` about `user`, sent to `to` (their address unless said).
pub struct Letter<'a> {
    pub kind: Kind,
    pub user: &'a UserRow,
    pub to: Option<&'a str>,
    /// The person who caused it, when another than `user`: named, and their signature closes
    /// the message.
    pub actor: Option<&'a Person>,
    pub new_email: Option<&'a str>,
    pub member: Option<&'a UserRow>,
    pub event: Option<&'static str>,
    pub count: Option<i64>,
    pub import: Option<ImportCounts>,
    pub deadline: Option<i64>,
    pub url: Option<String>,
    /// The passkey a notice names.
    pub device: Option<&'a str>,
}

impl<'a> Letter<'a> {
    pub fn new(kind: Kind, user: &'a UserRow) -> Self {
        Self {
            kind,
            user,
            to: None,
            actor: None,
            new_email: None,
            member: None,
            event: None,
            count: None,
            import: None,
            deadline: None,
            url: None,
            device: None,
        }
    }

    /// Names the passkey a notice is about.
    pub fn device(mut self, name: &'a str) -> Self {
        self.device = Some(name);
        self
    }

    pub fn by(mut self, actor: Option<&'a Person>) -> Self {
        self.actor = actor.filter(|a| a.id() != self.user.id);
        self
    }
}

/// Queues a message inside the caller's transaction; returns its id, or `None` when the person
/// has no address to write to. Operations queue through [`crate::work::Work::queue`], whose
/// commit wakes the worker.
pub async fn queue(tx: &mut Conn, org: &Org, letter: Letter<'_>) -> Result<Option<String>> {
    let signature = match letter.actor {
        Some(a) => signature::for_message(tx, org.id(), a.id()).await?,
        None => None,
    };
    let now = now_ms();
    let Some(row) = outbox_row(org, &letter, signature.as_ref(), now)? else {
        return Ok(None);
    };
    sesame_store::outbox::enqueue(tx, &row).await?;
    if letter.kind.invites() {
        sesame_store::invitations::note_sent(
            tx,
            org.id(),
            &letter.user.id,
            &row.id,
            letter.actor.map(Person::id),
            letter.kind == Kind::InvitationReminder,
            now,
        )
        .await?;
    }
    Ok(Some(row.id))
}

/// Queues many messages at once (an import's invitations): each actor's signature is read
/// once, and the rows go in multi-row statements. Returns each letter's message id, `None`
/// for a person without an address.
pub async fn queue_all(
    tx: &mut Conn,
    backend: sesame_store::Backend,
    org: &Org,
    letters: &[Letter<'_>],
) -> Result<Vec<Option<String>>> {
    let mut signatures: std::collections::HashMap<&str, Option<signature::MailSignature>> =
        std::collections::HashMap::new();
    for a in letters.iter().filter_map(|l| l.actor) {
        if !signatures.contains_key(a.id()) {
            let s = signature::for_message(tx, org.id(), a.id()).await?;
            signatures.insert(a.id(), s);
        }
    }
    let now = now_ms();
    let mut rows = Vec::with_capacity(letters.len());
    let mut ids = Vec::with_capacity(letters.len());
    let mut invited = Vec::new();
    for l in letters {
        let signature = l
            .actor
            .and_then(|a| signatures.get(a.id()))
            .and_then(Option::as_ref);
        let row = outbox_row(org, l, signature, now)?;
        ids.push(row.as_ref().map(|r| r.id.clone()));
        if let Some(r) = row.as_ref().filter(|_| l.kind.invites()) {
            invited.push(sesame_store::invitations::Sent {
                org_id: org.id().to_string(),
                user_id: l.user.id.clone(),
                message_id: r.id.clone(),
                by: l.actor.map(|a| a.id().to_string()),
            });
        }
        rows.extend(row);
    }
    sesame_store::outbox::enqueue_all(tx, backend, &rows).await?;
    sesame_store::invitations::note_all_sent(tx, backend, &invited, now).await?;
    Ok(ids)
}

/// The outbox row of a letter; `None` when the person has no address.
fn outbox_row(
    org: &Org,
    letter: &Letter<'_>,
    signature: Option<&signature::MailSignature>,
    now: i64,
) -> Result<Option<sesame_store::outbox::OutboxRow>> {
    let Some(to) = letter.to.or(letter.user.email.as_deref()) else {
        return Ok(None);
    };
    let params = Params {
        name: letter
            .user
            .first_name
            .clone()
            .unwrap_or_else(|| letter.user.login.clone()),
        login: letter.user.login.clone(),
        org_name: org.row.name.clone(),
        actor: letter.actor.map(Person::display_name),
        signature_text: signature.map(|s| s.text.clone()),
        signature_html: signature.map(|s| s.html.clone()),
        new_email: letter.new_email.map(str::to_string),
        member: letter.member.map(display_name),
        event: letter.event.map(str::to_string),
        count: letter.count,
        import: letter.import.clone(),
        deadline: letter.deadline,
        url: letter.url.clone(),
        device: letter.device.map(str::to_string),
    };
    Ok(Some(sesame_store::outbox::OutboxRow {
        id: new_id(),
        org_id: org.id().to_string(),
        kind: letter.kind.code().into(),
        user_id: Some(letter.user.id.clone()),
        recipient: to.to_string(),
        language: Language::parse(&letter.user.language)
            .unwrap_or(org.language)
            .code()
            .into(),
        params_json: serde_json::to_string(&params)?,
        state: "queued".into(),
        attempts: 0,
        next_attempt_at: now,
        claimed_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
    }))
}
