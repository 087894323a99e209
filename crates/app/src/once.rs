//! Duplicate-post protection: a form that creates something carries a one-time value; sent
//! twice (a double click, a reload that re-posts, a load balancer's second instance), the second
//! sending finds the first's result instead of doing it again. The values are in the database
//! (`form_once`), so two instances behind one load balancer agree; each is kept [`KEEP_MS`].

use crate::{App, Result};
use secrecy::ExposeSecret;
use sesame_store::form_once::{self, Claim};
use sesame_store::now_ms;
use std::time::Duration;

/// How long a value is remembered: a browser's retry comes within seconds.
pub const KEEP_MS: i64 = 3600 * 1000;

/// How long a second sending waits for the first to finish before giving up on it.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);

/// A fresh value for a form.
pub fn new() -> String {
    crate::secret::generate("").expose_secret().to_string()
}

/// `Ok(None)`: this sending goes ahead (and must call [`done`] or [`forget`]). `Ok(Some(place))`:
/// it was sent before; go where the first sending went. While the first sending still runs
/// (on this instance or another), this waits for it — up to ten seconds, then `Some("/")`.
pub async fn claim(app: &App, value: &str) -> Result<Option<String>> {
    if value.is_empty() {
        return Ok(None);
    }
    let started = tokio::time::Instant::now();
    loop {
        let claim = {
            let mut conn = app.store.read().await?;
            let now = now_ms();
            form_once::claim(&mut conn, value, now, now - KEEP_MS).await?
        };
        match claim {
            Claim::Claimed => return Ok(None),
            Claim::Done(place) => return Ok(Some(place)),
            Claim::Running if started.elapsed() >= WAIT => return Ok(Some("/".into())),
            Claim::Running => tokio::time::sleep(POLL).await,
        }
    }
}

/// The first sending of `value` succeeded and went to `place`.
pub async fn done(app: &App, value: &str, place: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    let mut conn = app.store.read().await?;
    form_once::done(&mut conn, value, place, now_ms()).await?;
    Ok(())
}

/// The first sending of `value` failed (its form is shown again, to be corrected and sent
/// again with the same value).
pub async fn forget(app: &App, value: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    let mut conn = app.store.read().await?;
    form_once::forget(&mut conn, value).await?;
    Ok(())
}
