//! One unit of work for a write: the transaction, the audit rows and the e-mail it queues,
//! committed together. [`Work::commit`] commits, then wakes the mail worker when a message was
//! queued — so a message leaves if and only if its change committed, and no operation has to
//! remember the wake-up. Dropping a `Work` without committing rolls everything back (sqlx
//! rolls back a transaction dropped open).
//!
//! The modules that write and queue mail sit above this one and above [`crate::mail`]; the
//! order (lowest first) is `mail`, `work`, `target`, `notifications`, `signature`,
//! `two_factor`, `users`: a module uses only those before it (see the test below).

use crate::audit::{self, Change};
use crate::mail::{self, Letter};
use crate::{App, Org, Principal, Result};
use sesame_store::{Conn, StoreError, Tx};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// A write in progress: lends its transaction (`&mut work` is a `&mut Conn`).
pub struct Work {
    tx: Tx,
    wake: Arc<tokio::sync::Notify>,
    queued: bool,
}

impl Work {
    /// Begins a write transaction (on SQLite, taking the write lock at once).
    pub async fn begin(app: &App) -> Result<Self> {
        Ok(Self::over(app, app.store.begin().await?))
    }

    /// Begins a long bulk write (an import): see [`sesame_store::Store::begin_bulk`].
    pub async fn begin_bulk(app: &App) -> Result<Self> {
        Ok(Self::over(app, app.store.begin_bulk().await?))
    }

    fn over(app: &App, tx: Tx) -> Self {
        Self {
            tx,
            wake: app.mailer.wake.clone(),
            queued: false,
        }
    }

    /// Writes an audit row for `change`, made by `who`, in this transaction.
    pub async fn record(&mut self, who: &Principal, change: Change<'_>) -> Result<()> {
        audit::record(&mut self.tx, who, change).await
    }

    /// Queues a message in this transaction; returns its id, or `None` when the person has no
    /// address to write to. The mail worker is woken after the commit.
    pub async fn queue(&mut self, org: &Org, letter: Letter<'_>) -> Result<Option<String>> {
        let id = mail::queue(&mut self.tx, org, letter).await?;
        self.queued |= id.is_some();
        Ok(id)
    }

    /// Queues many messages at once (see [`mail::queue_all`]).
    pub async fn queue_all(
        &mut self,
        backend: sesame_store::Backend,
        org: &Org,
        letters: &[Letter<'_>],
    ) -> Result<Vec<Option<String>>> {
        let ids = mail::queue_all(&mut self.tx, backend, org, letters).await?;
        self.queued |= ids.iter().any(Option::is_some);
        Ok(ids)
    }

    /// Notes that a message was put back in the queue by other means than [`Work::queue`] (a
    /// resent one), so that the worker is woken after the commit.
    pub fn mail_queued(&mut self) {
        self.queued = true;
    }

    /// Whether this work queued a message so far.
    pub fn queued(&self) -> bool {
        self.queued
    }

    /// Commits, then wakes the mail worker if a message was queued.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await.map_err(StoreError::from)?;
        if self.queued {
            self.wake.notify_one();
        }
        Ok(())
    }

    /// Undoes everything on purpose (an operation that found nothing to change); nothing is
    /// sent.
    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await.map_err(StoreError::from)?;
        Ok(())
    }
}

impl Deref for Work {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for Work {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}
