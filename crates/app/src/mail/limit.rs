//! The per-recipient limit: no more than [`PER_HOUR`] e-mails asked one at a time — an
//! invitation or reset link sent from a person's page or the API, a message of the outbox sent
//! again — reach one address within an hour, whoever asks and on whichever instance: an
//! administrator's script looping over "send again" must not flood someone's mailbox. The sends
//! are counted in the database ([`sesame_store::recipient_sends`]).
//!
//! An import's invitations are not counted: they write once to each person created, and a
//! bulk import must never be refused halfway for it.

use crate::{Error, Org, Result};
use serde::Serialize;
use sesame_store::Conn;

/// E-mails asked one at a time that one address may receive within [`WINDOW_MS`].
pub const PER_HOUR: usize = 5;
pub const WINDOW_MS: i64 = 3_600_000;

/// When the send that `times` (the sends within the window, oldest first) leaves no room for
/// may happen: once enough of them are older than the window. `None`: there is room.
fn next_room(times: &[i64]) -> Option<i64> {
    (times.len() >= PER_HOUR).then(|| times[times.len() - PER_HOUR] + WINDOW_MS)
}

/// Counts one e-mail (`kind`, queued as `message_id`) to `recipient`, inside the transaction
/// that queued it; refuses it — and so the whole change, rolled back — when the address had
/// its [`PER_HOUR`] already.
pub async fn count_one(
    tx: &mut Conn,
    org: &Org,
    recipient: &str,
    kind: &str,
    message_id: &str,
    now: i64,
) -> Result<()> {
    let address = recipient.trim().to_lowercase();
    sesame_store::recipient_sends::hold(tx, org.id(), &address).await?;
    let times =
        sesame_store::recipient_sends::since(tx, org.id(), &address, now - WINDOW_MS + 1).await?;
    if let Some(retry_at) = next_room(&times) {
        let wait_ms = (retry_at - now).max(1000);
        return Err(Error::RecipientLimit {
            address: recipient.trim().to_string(),
            limit: PER_HOUR,
            retry_at,
            wait_secs: u64::try_from(wait_ms).unwrap_or(1000).div_ceil(1000),
        });
    }
    sesame_store::recipient_sends::record(
        tx,
        org.id(),
        &address,
        kind,
        message_id,
        now,
        now - WINDOW_MS,
    )
    .await?;
    Ok(())
}

/// When `recipient` may receive the next e-mail asked one at a time, if it had its
/// [`PER_HOUR`] already (`None`: now): a bulk send skips that address rather than fail.
pub async fn busy_until(
    tx: &mut Conn,
    org: &Org,
    recipient: &str,
    now: i64,
) -> Result<Option<i64>> {
    let address = recipient.trim().to_lowercase();
    let times =
        sesame_store::recipient_sends::since(tx, org.id(), &address, now - WINDOW_MS + 1).await?;
    Ok(next_room(&times))
}

/// An address that reached the limit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LimitedRecipient {
    pub recipient: String,
    /// E-mails sent one at a time to it within the last hour.
    pub sent: i64,
    /// The most allowed within an hour.
    pub limit: i64,
    /// When the next one can be sent (RFC 3339).
    pub retry_at: String,
}

/// The addresses of `org` at the limit now.
pub async fn reached(conn: &mut Conn, org: &Org, now: i64) -> Result<Vec<LimitedRecipient>> {
    let busiest = sesame_store::recipient_sends::busiest(
        conn,
        org.id(),
        now - WINDOW_MS + 1,
        PER_HOUR as i64,
    )
    .await?;
    Ok(busiest
        .into_iter()
        .filter_map(|(recipient, times)| {
            next_room(&times).map(|at| LimitedRecipient {
                recipient,
                sent: times.len() as i64,
                limit: PER_HOUR as i64,
                retry_at: crate::time::rfc3339(at),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_comes_back_when_the_oldest_counted_send_leaves_the_window() {
        assert_eq!(next_room(&[1, 2, 3, 4]), None);
        assert_eq!(next_room(&[1, 2, 3, 4, 5]), Some(1 + WINDOW_MS));
        // More than the limit (sent before the limit existed): the sixth-newest must go.
        assert_eq!(next_room(&[1, 2, 3, 4, 5, 6, 7]), Some(3 + WINDOW_MS));
    }
}
