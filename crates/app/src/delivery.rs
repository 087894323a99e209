//! The delivery worker: takes due messages from the outbox, mints their links, renders and
//! sends them, and records the outcome.
//!
//! One round: claim a batch for a lease (another instance skips it), mint the batch's links in
//! one [`Work`], deliver the messages a few at a time, record every outcome in another. A
//! crash between sending and recording sends the message again after the lease, with the same
//! Message-ID and a new link (the new link cancels the old one).
//!
//! Apart from [`crate::mail`], which renders and queues, because it writes through
//! [`crate::work`], which queues through `mail`: `mail` ← `work` ← `delivery`.

use crate::mail::{Kind, Link, LinkKind, Mailer, Params, render};
use crate::work::Work;
use crate::{App, Org, Result};
use sesame_core::Language;
use sesame_core::Status;
use sesame_mail::{Failure, Outgoing, Transport, retry_delay_secs};
use sesame_store::links::LinkRow;
use sesame_store::outbox::OutboxRow;
use sesame_store::{new_id, now_ms};
use std::collections::HashMap;
use std::time::Duration;

/// Messages taken per round.
const BATCH: i64 = 64;

/// Delivers until `stop` says so.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(app.mailer.poll_ms);
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = deliver_until(&app, Some(&stop)).await {
            tracing::warn!(error = %e, "outbox: round failed; trying again shortly");
        }
        tokio::select! {
            _ = app.mailer.wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Delivers until nothing is due, preparing each batch (claim, links, rendering) while the
/// previous one is on its way to the SMTP server. Returns how many messages it took.
pub async fn deliver_all(app: &App) -> Result<usize> {
    deliver_until(app, None).await
}

/// [`deliver_all`], taking no new batch once `stop` says so: a server that stops finishes
/// the messages it is sending (and records them sent, so that none goes twice) but begins no
/// other; those still due wait in the outbox for the next start.
async fn deliver_until(
    app: &App,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> Result<usize> {
    let mut taken = 0;
    let mut sending: Option<tokio::task::JoinHandle<Result<()>>> = None;
    loop {
        let stopping = stop.is_some_and(|s| *s.borrow());
        let next = if stopping { Ok(None) } else { take(app).await };
        if let Some(previous) = sending.take() {
            previous
                .await
                .map_err(|e| crate::Error::Internal(e.to_string()))??;
        }
        match next? {
            Some(batch) => {
                taken += batch.taken;
                sending = Some(tokio::spawn(send(app.clone(), batch)));
            }
            None => return Ok(taken),
        }
    }
}

/// One round, start to end; returns how many messages it took.
pub async fn deliver_due(app: &App) -> Result<usize> {
    match take(app).await? {
        Some(batch) => {
            let taken = batch.taken;
            send(app.clone(), batch).await?;
            Ok(taken)
        }
        None => Ok(0),
    }
}

/// Messages claimed and ready to go.
struct Batch {
    taken: usize,
    ready: Vec<(OutboxRow, Outgoing)>,
    /// Those that cannot go, with why.
    outcomes: Vec<(OutboxRow, Outcome)>,
}

/// Claims due messages, mints their links and renders them; `None` when nothing is due.
async fn take(app: &App) -> Result<Option<Batch>> {
    let claimed =
        sesame_store::outbox::claim_due(&app.store, now_ms(), app.mailer.lease_ms, BATCH).await?;
    if claimed.is_empty() {
        return Ok(None);
    }
    let taken = claimed.len();
    let (ready, outcomes) = prepare(app, claimed).await?;
    Ok(Some(Batch {
        taken,
        ready,
        outcomes,
    }))
}

/// What became of one message.
enum Outcome {
    Sent,
    Retry(String, i64),
    Failed(String),
}

/// Delivers a batch a few messages at a time, and records every outcome.
async fn send(app: App, batch: Batch) -> Result<()> {
    let mailer = &app.mailer;
    let Batch {
        ready,
        mut outcomes,
        ..
    } = batch;
    // Deliver a few at a time, each message on its own.
    let mut pending = ready.into_iter();
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < mailer.concurrency.max(1) {
            let Some((row, out)) = pending.next() else {
                break;
            };
            let transport = mailer.transport.clone();
            running.spawn(async move {
                let result = transport.deliver(&out).await;
                (row, out, result)
            });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (row, out, result) = done.map_err(|e| crate::Error::Internal(e.to_string()))?;
        let outcome = match result {
            Ok(()) => {
                if let Transport::Files(dir) = &mailer.transport {
                    // Without a mail server, the log is how a newcomer follows the links.
                    tracing::info!(
                        to = %out.to, subject = %out.subject,
                        file = %dir.join(format!("{}.eml", out.id)).display(),
                        links = %links_in(&out.text).join(" "),
                        "e-mail written"
                    );
                }
                Outcome::Sent
            }
            Err(Failure::Permanent(reason)) => Outcome::Failed(reason),
            Err(Failure::Transient(reason)) => match retry_delay_secs(row.attempts + 1) {
                Some(secs) => Outcome::Retry(
                    reason,
                    now_ms()
                        + i64::try_from(secs).unwrap_or(i64::MAX / 4_000) * mailer.retry_unit_ms,
                ),
                None => Outcome::Failed(reason),
            },
        };
        outcomes.push((row, outcome));
    }

    let mut work = Work::begin(&app).await?;
    let at = now_ms();
    let sent: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Sent))
        .map(|(r, _)| r.id.clone())
        .collect();
    sesame_store::outbox::mark_all_sent(&mut work, &sent, at).await?;
    for (row, outcome) in &outcomes {
        match outcome {
            Outcome::Sent => {}
            Outcome::Retry(reason, when) => {
                tracing::warn!(message = %row.id, kind = %row.kind, attempts = row.attempts + 1, error = %reason, "e-mail not delivered; will retry");
                sesame_store::outbox::mark_attempt_failed(&mut work, &row.id, reason, Some(*when))
                    .await?
            }
            Outcome::Failed(reason) => {
                tracing::warn!(message = %row.id, kind = %row.kind, error = %reason, "e-mail failed for good");
                sesame_store::outbox::mark_attempt_failed(&mut work, &row.id, reason, None).await?
            }
        }
    }
    work.commit().await
}

/// Renders the claimed messages, minting their links in one transaction (a few statements for
/// the whole batch). Messages that can no longer be sent (their person was deleted or
/// disabled, their kind is unknown) come back as failures.
async fn prepare(
    app: &App,
    claimed: Vec<OutboxRow>,
) -> Result<(Vec<(OutboxRow, Outgoing)>, Vec<(OutboxRow, Outcome)>)> {
    let mailer = &app.mailer;
    let mut orgs: HashMap<String, Org> = HashMap::new();
    let mut failed = Vec::new();
    let mut work = Work::begin(app).await?;
    let now = now_ms();

    // What each message is, and whose status its link depends on.
    let mut parsed = Vec::with_capacity(claimed.len());
    for row in claimed {
        if !orgs.contains_key(&row.org_id) {
            match sesame_store::orgs::get(&mut work, &row.org_id).await? {
                Some(o) => {
                    orgs.insert(row.org_id.clone(), Org::from_row(o));
                }
                None => {
                    failed.push((row, Outcome::Failed("organisation deleted".into())));
                    continue;
                }
            }
        }
        match (
            Kind::parse(&row.kind),
            serde_json::from_str::<Params>(&row.params_json),
        ) {
            (Some(kind), Ok(params)) => parsed.push((row, kind, params)),
            _ => {
                let reason = format!("unknown message kind {}", row.kind);
                failed.push((row, Outcome::Failed(reason)));
            }
        }
    }
    let linked: Vec<String> = parsed
        .iter()
        .filter(|(_, k, _)| k.link().is_some())
        .filter_map(|(r, _, _)| r.user_id.clone())
        .collect();
    let statuses = sesame_store::users::statuses(&mut work, &linked).await?;

    // Links for those who can still use them; only their hashes are stored.
    let mut links = Vec::new();
    let mut ready = Vec::with_capacity(parsed.len());
    for (row, kind, params) in parsed {
        let org = &orgs[&row.org_id];
        let link = match kind.link() {
            None => None,
            Some(link_kind) => {
                let status = row.user_id.as_ref().and_then(|id| statuses.get(id));
                let refused = match status {
                    None | Some(Status::Deleted) => Some("the person was deleted"),
                    Some(Status::Disabled) => {
                        Some("the account was disabled before the message left")
                    }
                    // A reminder is for those who have not activated their account (issue 23).
                    Some(Status::Active) if kind == Kind::InvitationReminder => {
                        Some("the person activated their account before the reminder left")
                    }
                    _ => None,
                };
                if let Some(reason) = refused {
                    failed.push((row, Outcome::Failed(reason.into())));
                    continue;
                }
                let (link, stored) = mint(org, &row, link_kind, &params, now, mailer);
                links.push(stored);
                Some(link)
            }
        };
        let lang = Language::parse(&row.language).unwrap_or(org.language);
        let r = render(kind, lang, &org.zone, &params, link.as_ref());
        let out = Outgoing {
            id: row.id.clone(),
            from_name: org
                .row
                .mail_from_name
                .clone()
                .unwrap_or_else(|| org.row.name.clone()),
            from_address: org
                .row
                .mail_from_address
                .clone()
                .unwrap_or_else(|| mailer.default_from.clone()),
            to: row.recipient.clone(),
            subject: r.subject,
            text: r.text,
            html: r.html,
            language: lang.code().into(),
        };
        ready.push((row, out));
    }
    sesame_store::links::replace_all(&mut work, app.store.backend(), &links).await?;
    work.commit().await?;
    Ok((ready, failed))
}

/// A new single-use link for the message's person: its address, and the row to store (with
/// the secret's hash only).
fn mint(
    org: &Org,
    row: &OutboxRow,
    kind: LinkKind,
    params: &Params,
    now: i64,
    mailer: &Mailer,
) -> (Link, (LinkRow, String)) {
    use secrecy::ExposeSecret;
    let secret = crate::secret::generate("");
    let lifetime_ms = kind.lifetime_ms(org);
    let stored = LinkRow {
        id: new_id(),
        org_id: org.id().to_string(),
        user_id: row.user_id.clone().unwrap_or_default(),
        kind: kind.code().into(),
        new_email: params.new_email.clone(),
        created_at: now,
        expires_at: now + lifetime_ms,
        used_at: None,
        cancelled_at: None,
    };
    let link = Link {
        url: format!(
            "{}{}?token={}",
            mailer.public_url,
            kind.path(),
            secret.expose_secret()
        ),
        lifetime_ms,
        expires_at: stored.expires_at,
    };
    (link, (stored, crate::secret::hash_secret(&secret)))
}

/// The addresses in a message's text (for the log of the file transport).
fn links_in(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect()
}
