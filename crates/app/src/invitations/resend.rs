//! Sending new invitations to one, several or all of those invited and not yet active: each a
//! fresh link, which cancels the one before; each asked of the policy for that person.

use super::filter_of;
use crate::audit::Change;
use crate::mail::{Kind, Letter};
use crate::target::load_target;
use crate::work::Work;
use crate::{App, Error, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_store::invitations::{self as store, Filter, PendingRow, STATES};

/// Whom to send a new invitation to: some people by id, or everyone invited in a state.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendInput {
    /// Ids of people invited and not yet active (one or several, at most 500).
    pub ids: Option<Vec<String>>,
    /// Instead of `ids`: `all` (everyone invited and not yet active the caller may invite),
    /// `expired`, `failed` or `not_sent` (everyone in that state).
    pub select: Option<String>,
}

/// Someone not sent a new invitation, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    pub id: String,
    pub login: String,
    /// `invitation.no_email`, `permission.missing`, `permission.target_outranks`,
    /// `invitation.recipient_busy` (the address had its e-mails of the hour: try after
    /// `retry_at`).
    pub code: String,
    /// The reason, in the caller's language.
    pub message: String,
    /// RFC 3339, for `invitation.recipient_busy`.
    pub retry_at: Option<String>,
}

/// One new invitation queued.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Resent {
    pub id: String,
    pub login: String,
    /// The outbox message, to follow its delivery.
    pub message_id: String,
}

/// What a resend did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ResendReport {
    pub sent: Vec<Resent>,
    pub skipped: Vec<Skipped>,
}

/// People sent again per transaction.
const BATCH: usize = 200;
/// The most ids one request may name.
pub const MAX_IDS: usize = 500;

/// Sends a new invitation (a fresh link; the one before stops working) to the people named,
/// or to everyone in the state selected. Those the caller may not invite, without an address,
/// or whose address had its e-mails of the hour are skipped, each with why; an id naming
/// nobody invited refuses the whole request, before anything is sent. Audited per person
/// (`user.invitation_sent`).
pub async fn resend(
    app: &App,
    who: &Principal,
    input: ResendInput,
    now: i64,
) -> Result<ResendReport> {
    let visibility = who.actor.may_follow_invitations()?;
    let mut filter = filter_of(visibility);
    let rows = match (&input.ids, input.select.as_deref().map(str::trim)) {
        (Some(ids), None) => {
            if ids.is_empty() || ids.len() > MAX_IDS {
                return Err(Error::Invalid(vec![
                    FieldError::new("ids", "limit.range")
                        .with("min", "1")
                        .with("max", MAX_IDS.to_string()),
                ]));
            }
            let ids: Vec<String> = ids.iter().map(|i| i.trim().to_string()).collect();
            filter.ids = Some(ids.clone());
            filter.limit = 1000;
            let mut conn = app.store.read().await?;
            let found = store::pending(&mut conn, who.org.id(), &filter, now).await?;
            let errors: Vec<FieldError> = ids
                .iter()
                .enumerate()
                .filter(|(_, id)| !found.iter().any(|r| &r.user.id == *id))
                .map(|(i, id)| {
                    FieldError::new(format!("ids[{i}]"), "invitation.not_pending").with("value", id)
                })
                .collect();
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            found
        }
        (None, Some(select)) => {
            filter.state = match select {
                "all" => None,
                s if STATES.contains(&s) && s != "pending" => Some(s.to_string()),
                s => {
                    return Err(Error::Invalid(vec![
                        FieldError::new("select", "invitation.select_unknown")
                            .with("value", s)
                            .with("expected", "all, expired, failed, not_sent"),
                    ]));
                }
            };
            everyone(app, who, filter, now).await?
        }
        _ => {
            return Err(Error::Invalid(vec![FieldError::new(
                "ids",
                "invitation.ids_or_select",
            )]));
        }
    };
    let mut report = ResendReport::default();
    for chunk in rows.chunks(BATCH) {
        send_batch(app, who, chunk, &mut report).await?;
    }
    Ok(report)
}

/// Everyone `filter` matches, read a page at a time.
async fn everyone(
    app: &App,
    who: &Principal,
    mut filter: Filter,
    now: i64,
) -> Result<Vec<PendingRow>> {
    let mut conn = app.store.read().await?;
    let mut out = Vec::new();
    filter.limit = 1000;
    loop {
        let page = store::pending(&mut conn, who.org.id(), &filter, now).await?;
        let full = page.len() as i64 == filter.limit;
        filter.after_login = page.last().map(|r| r.user.login.clone());
        out.extend(page);
        if !full {
            return Ok(out);
        }
    }
}

async fn send_batch(
    app: &App,
    who: &Principal,
    rows: &[PendingRow],
    report: &mut ResendReport,
) -> Result<()> {
    let org = &who.org;
    let lang = who
        .person()
        .and_then(crate::Person::language)
        .unwrap_or(org.language);
    let skip = |r: &PendingRow, e: FieldError, retry_at: Option<i64>| Skipped {
        id: r.user.id.clone(),
        login: r.user.login.clone(),
        message: crate::i18n::field_error(lang, &e),
        code: e.code.to_string(),
        retry_at: retry_at.map(crate::time::rfc3339),
    };
    let mut work = Work::begin(app).await?;
    for r in rows {
        let target = load_target(&mut work, org, &r.user.id).await?;
        if let Err(d) = who.actor.may_invite(&target.subject()) {
            let e = FieldError::new("", d.code()).with("permission", d.permissions());
            report.skipped.push(skip(r, e, None));
            continue;
        }
        let Some(address) = target.row.email.clone() else {
            report.skipped.push(skip(
                r,
                FieldError::new("email", "invitation.no_email"),
                None,
            ));
            continue;
        };
        let now = sesame_store::now_ms();
        if let Some(at) = crate::mail::limit::busy_until(&mut work, org, &address, now).await? {
            let e = FieldError::new("email", "invitation.recipient_busy")
                .with("address", &address)
                .with("limit", crate::mail::limit::PER_HOUR.to_string());
            report.skipped.push(skip(r, e, Some(at)));
            continue;
        }
        let Some(message_id) = work
            .queue(
                org,
                Letter::new(Kind::Invitation, &target.row).by(who.person()),
            )
            .await?
        else {
            continue;
        };
        crate::mail::limit::count_one(&mut work, org, &address, "invitation", &message_id, now)
            .await?;
        work.record(
            who,
            Change {
                action: "user.invitation_sent",
                target_type: "user",
                target_id: Some(&r.user.id),
                target_label: Some(&r.user.login),
                before: Some(serde_json::json!({ "state": r.state })),
                after: Some(serde_json::json!({ "message_id": message_id })),
            },
        )
        .await?;
        report.sent.push(Resent {
            id: r.user.id.clone(),
            login: r.user.login.clone(),
            message_id,
        });
    }
    work.commit().await
}
