//! The file an import's preview read, waiting for its confirmation: the confirmation imports
//! exactly the bytes previewed. One per person (a new upload replaces the waiting one), taken
//! only by the person who uploaded it, for [`KEEP_MS`] at most. It is personal data: taken, it
//! is deleted; expired, it is never returned and [`forget_expired`] (every instance runs it
//! every minute, see [`sweep`]) deletes it. In the database (`pending_uploads`), so that the
//! preview and the confirmation may be answered by two instances.

use crate::work::Work;
use crate::{App, Principal, Result};
use bytes::Bytes;
use sesame_store::{now_ms, pending_uploads};
use std::time::Duration;

/// How long an uploaded file waits for its confirmation.
pub const KEEP_MS: i64 = 3600 * 1000;

/// How often every instance deletes what expired (uploads and one-time form values).
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

fn user_id(who: &Principal) -> &str {
    who.user_id().unwrap_or("")
}

/// Keeps the file previewed as import `id` for `who`, replacing the one they had waiting.
pub async fn keep(
    app: &App,
    who: &Principal,
    id: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<()> {
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    pending_uploads::forget_before(&mut work, now - KEEP_MS).await?;
    pending_uploads::keep(
        &mut work,
        who.org.id(),
        user_id(who),
        id,
        file_name,
        bytes,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Takes `who`'s file waiting as import `id`: its name and bytes; `None` when there is none
/// (never uploaded, someone else's, expired, or already taken).
pub async fn take(app: &App, who: &Principal, id: &str) -> Result<Option<(String, Bytes)>> {
    let mut work = Work::begin(app).await?;
    let taken = pending_uploads::take(
        &mut work,
        who.org.id(),
        user_id(who),
        id,
        now_ms() - KEEP_MS,
    )
    .await?;
    work.commit().await?;
    Ok(taken.map(|(name, bytes)| (name, Bytes::from(bytes))))
}

/// Whether `who` has a file waiting as import `id`.
pub async fn has(app: &App, who: &Principal, id: &str) -> Result<bool> {
    let mut conn = app.store.read().await?;
    Ok(pending_uploads::has(
        &mut conn,
        who.org.id(),
        user_id(who),
        id,
        now_ms() - KEEP_MS,
    )
    .await?)
}

/// Deletes the uploads and the one-time form values that expired.
pub async fn forget_expired(app: &App) -> Result<()> {
    let now = now_ms();
    let mut conn = app.store.read().await?;
    pending_uploads::forget_before(&mut conn, now - KEEP_MS).await?;
    sesame_store::form_once::forget_before(&mut conn, now - crate::once::KEEP_MS).await?;
    Ok(())
}

/// Runs [`forget_expired`] every [`SWEEP_EVERY`] until `stop` says so.
pub async fn sweep(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = forget_expired(&app).await {
            tracing::warn!(error = %e, "could not delete the expired uploads; trying again later");
        }
        if let Err(e) = crate::import::history::prune(&app).await {
            tracing::warn!(error = %e, "could not forget the imports past their keeping; trying again later");
        }
        if let Err(e) = crate::oidc::forget_expired(&app).await {
            tracing::warn!(error = %e, "could not delete the expired sign-in codes and tokens; trying again later");
        }
        tokio::select! {
            _ = tokio::time::sleep(SWEEP_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}
