//! Invitations followed to the end (issue 23): everyone invited and not yet active, when and by
//! whom, when their link expires, the reminders sent and how their last invitation e-mail fared;
//! sending again to one, several or all of them (a fresh link, which cancels the one before).
//!
//! Who sees the list is the policy's [`sesame_core::policy::Actor::may_follow_invitations`];
//! each send asks [`sesame_core::policy::Actor::may_invite`] for that person, as sending from
//! their page does ([`crate::access::send_access`]). What is followed is written where every
//! invitation is queued ([`crate::mail::queue`]); the reminders are [`remind`]'s.

pub mod remind;
mod resend;

pub use resend::{MAX_IDS, ResendInput, ResendReport, Resent, Skipped, resend};

use crate::{App, Error, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_core::policy::{Subject, Visibility};
pub use sesame_store::invitations::STATES;
use sesame_store::invitations::{self as store, Filter, PendingRow};
use sesame_store::roles::HeldRole;
use std::collections::HashMap;

/// Who sent an invitation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitedBy {
    pub id: String,
    pub login: String,
    /// "Léa Martin", else their login.
    pub name: String,
}

/// How the last invitation e-mail fared.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// The outbox message (`GET /api/v1/outbox/{id}`).
    pub message_id: String,
    /// `queued` (leaving now), `retrying` (the mail server could not take it yet; tried again
    /// at `next_attempt_at`), `sent`, or `failed` (refused by the mail server, for good).
    pub state: String,
    pub attempts: i64,
    /// The mail server's answer to the last failed attempt.
    pub error: Option<String>,
    /// RFC 3339.
    pub sent_at: Option<String>,
    pub next_attempt_at: Option<String>,
}

/// Someone invited and not yet active, with their invitation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    /// The person's id.
    pub id: String,
    pub login: String,
    /// "Léa Martin", else their login.
    pub name: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The language their e-mails are written in (`fr`, `en`).
    pub language: String,
    /// `pending` (on its way, or the link works), `expired` (the link no longer works: send a
    /// fresh one), `failed` (the mail server refused the last one), `not_sent` (created
    /// without an invitation).
    pub state: String,
    /// RFC 3339: the first invitation.
    pub invited_at: Option<String>,
    /// Who sent the first invitation; null for the operator at the command line (or an
    /// invitation sent before Sésame kept it).
    pub invited_by: Option<InvitedBy>,
    /// RFC 3339: the last invitation or reminder.
    pub last_sent_at: Option<String>,
    /// RFC 3339: when the link last sent stops (or stopped) working; null while the first
    /// message is on its way.
    pub link_expires_at: Option<String>,
    /// Automatic reminders sent so far.
    pub reminders_sent: i64,
    /// RFC 3339: when the next automatic reminder is due, if one is.
    pub next_reminder_at: Option<String>,
    /// The last invitation e-mail; null when none was sent.
    pub delivery: Option<Delivery>,
    /// Whether the caller may send them a new invitation (the policy, for this person).
    pub may_resend: bool,
}

/// How many people are in each state.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct InvitationCounts {
    pub pending: i64,
    pub expired: i64,
    pub failed: i64,
    pub not_sent: i64,
}

impl InvitationCounts {
    pub fn all(&self) -> i64 {
        self.pending + self.expired + self.failed + self.not_sent
    }
}

impl From<store::Counts> for InvitationCounts {
    fn from(c: store::Counts) -> Self {
        Self {
            pending: c.pending,
            expired: c.expired,
            failed: c.failed,
            not_sent: c.not_sent,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InvitationsQuery {
    /// `pending`, `expired`, `failed` or `not_sent`; all by default.
    pub state: Option<String>,
    /// 1–500, 50 by default.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of invitations, by login, with the counts of every state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationPage {
    pub items: Vec<InvitationView>,
    pub next_cursor: Option<String>,
    pub counts: InvitationCounts,
    /// The days after an invitation when a reminder goes (the organisation's setting); `[]`:
    /// none.
    pub reminder_days: Vec<i64>,
}

pub(crate) fn filter_of(visibility: Visibility) -> Filter {
    Filter {
        visible_groups: match visibility {
            Visibility::All => None,
            Visibility::Groups(g) => Some(g),
        },
        limit: 50,
        ..Filter::default()
    }
}

/// The state asked, checked.
fn state_of(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if STATES.contains(&s) => Ok(Some(s.to_string())),
        Some(s) => Err(Error::Invalid(vec![
            FieldError::new("state", "invitation.state_unknown")
                .with("value", s)
                .with("expected", STATES.join(", ")),
        ])),
    }
}

pub async fn list(
    app: &App,
    who: &Principal,
    q: &InvitationsQuery,
    now: i64,
) -> Result<InvitationPage> {
    let visibility = who.actor.may_follow_invitations()?;
    let limit = q.limit.unwrap_or(50);
    let mut errors = Vec::new();
    if !(1..=500).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "500"),
        );
    }
    let state = match state_of(q.state.as_deref()) {
        Ok(s) => s,
        Err(Error::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut filter = filter_of(visibility);
    let mut conn = app.store.read().await?;
    let counts = store::count(&mut conn, who.org.id(), &filter, now).await?;
    filter.state = state;
    filter.after_login = q.cursor.clone().filter(|c| !c.is_empty());
    filter.limit = limit + 1;
    let mut rows = store::pending(&mut conn, who.org.id(), &filter, now).await?;
    let next_cursor = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| r.user.login.clone())
            .unwrap_or_default()
    });
    let days = remind::days_of(&who.org);
    // What the policy needs of each person, in two queries for the page.
    let ids: Vec<String> = rows.iter().map(|r| r.user.id.clone()).collect();
    let mut held: HashMap<String, Vec<HeldRole>> = HashMap::new();
    for h in sesame_store::roles::held_by(&mut conn, who.org.id(), &ids).await? {
        held.entry(h.user_id.clone()).or_default().push(h);
    }
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for (user_id, g) in sesame_store::groups::of_users(&mut conn, who.org.id(), &ids).await? {
        groups.entry(user_id).or_default().push(g.id);
    }
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let grants = crate::grants_of(held.get(&r.user.id).map_or(&[], Vec::as_slice));
        let subject = Subject {
            user_id: &r.user.id,
            groups: groups.get(&r.user.id).map_or(&[], Vec::as_slice),
            grants: &grants,
        };
        let may_resend = who.actor.may_invite(&subject).is_ok();
        items.push(view(r, may_resend, &days, now));
    }
    Ok(InvitationPage {
        items,
        next_cursor,
        counts: counts.into(),
        reminder_days: days,
    })
}

/// The invitation of one person, if they are invited and not yet active and the caller may
/// follow invitations (their page shows it); `None` otherwise.
pub async fn of_person(
    app: &App,
    who: &Principal,
    user_id: &str,
    now: i64,
) -> Result<Option<InvitationView>> {
    let Ok(visibility) = who.actor.may_follow_invitations() else {
        return Ok(None);
    };
    let mut filter = filter_of(visibility);
    filter.ids = Some(vec![user_id.to_string()]);
    let mut conn = app.store.read().await?;
    let Some(row) = store::pending(&mut conn, who.org.id(), &filter, now)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let target = crate::target::load_target(&mut conn, &who.org, user_id).await?;
    let may_resend = who.actor.may_invite(&target.subject()).is_ok();
    Ok(Some(view(row, may_resend, &remind::days_of(&who.org), now)))
}

/// The counts of the invitations the caller may follow (the users list shows them); `None`
/// for someone who may not.
pub async fn counts(app: &App, who: &Principal, now: i64) -> Result<Option<InvitationCounts>> {
    let Ok(visibility) = who.actor.may_follow_invitations() else {
        return Ok(None);
    };
    let mut conn = app.store.read().await?;
    let c = store::count(&mut conn, who.org.id(), &filter_of(visibility), now).await?;
    Ok(Some(c.into()))
}

fn view(r: PendingRow, may_resend: bool, days: &[i64], now: i64) -> InvitationView {
    let rfc = crate::time::rfc3339;
    let delivery = r.last_message_id.clone().map(|id| {
        let state = match r.message_state.as_deref() {
            Some("queued") if r.message_attempts.unwrap_or(0) > 0 => "retrying",
            Some(s) => s,
            None => "queued",
        };
        Delivery {
            message_id: id,
            state: state.to_string(),
            attempts: r.message_attempts.unwrap_or(0),
            error: r.message_error.clone().filter(|_| state != "sent"),
            sent_at: r.message_sent_at.map(rfc),
            next_attempt_at: r
                .message_next_attempt_at
                .filter(|_| state == "retrying")
                .map(rfc),
        }
    });
    let next_reminder_at = match (r.round_at, r.state.as_str()) {
        (Some(round), "pending" | "expired") => remind::next_due(days, round, r.round_stage, now),
        _ => None,
    };
    InvitationView {
        name: crate::person::display_name(
            r.user.first_name.as_deref(),
            r.user.last_name.as_deref(),
            &r.user.login,
        ),
        id: r.user.id,
        login: r.user.login.clone(),
        email: r.user.email,
        invited_by: r.invited_by.map(|id| {
            let login = r.invited_by_login.clone().unwrap_or_default();
            InvitedBy {
                id,
                name: crate::person::display_name(
                    r.invited_by_first_name.as_deref(),
                    r.invited_by_last_name.as_deref(),
                    &login,
                ),
                login,
            }
        }),
        first_name: r.user.first_name,
        last_name: r.user.last_name,
        language: r.user.language,
        state: r.state,
        invited_at: r.first_at.map(rfc),
        last_sent_at: r.last_at.map(rfc),
        link_expires_at: r.link_expires_at.map(rfc),
        reminders_sent: r.reminders,
        next_reminder_at: next_reminder_at.map(rfc),
        delivery,
        may_resend,
    }
}
