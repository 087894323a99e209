//! The outbox as administrators see it: each message's state (queued, sent, failed and why),
//! and resending one.

use crate::audit::Change;
use crate::work::Work;
use crate::{App, Error, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_store::now_ms;
use sesame_store::outbox::OutboxRow;

/// One message of the outbox. What it says is not kept (its link is minted when it leaves).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    /// `invitation`, `password_reset`, `password_changed`, `mfa_enabled`, `mfa_disabled`,
    /// `mfa_reset`, `email_change`, `email_changed`, `member_joined`, `invitation_reminder`, …
    pub kind: String,
    /// The person it is about.
    pub user_id: Option<String>,
    pub recipient: String,
    pub language: String,
    /// `queued`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    /// Why the last attempt failed (the SMTP server's answer).
    pub last_error: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub sent_at: Option<String>,
    /// When the next attempt may start, while queued.
    pub next_attempt_at: Option<String>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(r: OutboxRow) -> Self {
        Self {
            next_attempt_at: (r.state == "queued").then(|| crate::time::rfc3339(r.next_attempt_at)),
            id: r.id,
            kind: r.kind,
            user_id: r.user_id,
            recipient: r.recipient,
            language: r.language,
            state: r.state,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: crate::time::rfc3339(r.created_at),
            sent_at: r.sent_at.map(crate::time::rfc3339),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `queued`, `sent` or `failed`; all by default.
    pub state: Option<String>,
    /// 1–500, 50 by default.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    /// Newest first.
    pub items: Vec<OutboxMessage>,
    pub next_cursor: Option<String>,
    /// The addresses that received the most e-mails sent one at a time allowed within the hour
    /// (invitations, reset links, messages sent again): more to them is refused until
    /// `retry_at`.
    pub limited: Vec<crate::mail::limit::LimitedRecipient>,
}

pub async fn list(app: &App, who: &Principal, q: &OutboxQuery) -> Result<OutboxPage> {
    who.actor.may_change_settings()?;
    let mut errors = Vec::new();
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "500"),
        );
    }
    let state = q.state.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = state
        && !["queued", "sent", "failed"].contains(&s)
    {
        errors.push(FieldError::new("state", "outbox.state"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut conn = app.store.read().await?;
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty());
    let rows =
        sesame_store::outbox::list(&mut conn, who.org.id(), state, cursor, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<OutboxMessage> = rows
        .into_iter()
        .take(limit as usize)
        .map(OutboxMessage::from)
        .collect();
    let next_cursor = more.then(|| items.last().map(|m| m.id.clone())).flatten();
    let limited = crate::mail::limit::reached(&mut conn, &who.org, now_ms()).await?;
    Ok(OutboxPage {
        items,
        next_cursor,
        limited,
    })
}

pub async fn get(app: &App, who: &Principal, id: &str) -> Result<OutboxMessage> {
    who.actor.may_change_settings()?;
    let mut conn = app.store.read().await?;
    sesame_store::outbox::get(&mut conn, who.org.id(), id)
        .await?
        .map(OutboxMessage::from)
        .ok_or(Error::NotFound("message"))
}

/// Queues a message again (a failed one, or one the person did not receive); a message with a
/// link gets a new link, which cancels the one sent before. Refused when its address already
/// had its e-mails of the hour ([`crate::mail::limit`]).
pub async fn resend(app: &App, who: &Principal, id: &str) -> Result<OutboxMessage> {
    who.actor.may_change_settings()?;
    let mut work = Work::begin(app).await?;
    let before = sesame_store::outbox::get(&mut work, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("message"))?;
    let now = now_ms();
    sesame_store::outbox::requeue(&mut work, who.org.id(), id, now).await?;
    work.mail_queued();
    crate::mail::limit::count_one(
        &mut work,
        &who.org,
        &before.recipient,
        &before.kind,
        id,
        now,
    )
    .await?;
    work.record(
        who,
        Change {
            action: "outbox.resend",
            target_type: "message",
            target_id: Some(id),
            target_label: Some(&before.recipient),
            before: Some(
                serde_json::json!({ "state": before.state, "last_error": before.last_error }),
            ),
            after: Some(serde_json::json!({ "state": "queued" })),
        },
    )
    .await?;
    let after = sesame_store::outbox::get(&mut work, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("message"))?;
    work.commit().await?;
    Ok(after.into())
}
