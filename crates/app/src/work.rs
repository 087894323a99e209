//! One unit of work for a write: the transaction, the audit rows and the e-mail it queues,
//! committed together. [`Work::commit`] commits, then wakes the mail worker when a message was
//! queued — so a message leaves if and only if its change committed, and no operation has to
//! remember the wake-up. Dropping a `Work` without committing rolls everything back (sqlx
//! rolls back a transaction dropped open).
//!
//! The application's writes begin and commit here, the mail worker's and the signing keys'
//! included ([`crate::delivery`] records what it sent through a `Work` that queues nothing);
//! a test below holds it.
//!
//! The modules that write and queue mail sit above this one and above [`crate::mail`]; the
//! order (lowest first) is `mail`, `work`, `delivery`, `target`, `notifications`, `signature`,
//! `two_factor`, `passkeys`, `users`: a module uses only those before it (see the test below).

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
    writes: crate::recent::Writes,
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
            writes: app.writes.clone(),
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

    /// Commits, then wakes the mail worker if a message was queued. Every answer this instance
    /// kept in [`crate::recent`] is stale from here on.
    pub async fn commit(self) -> Result<()> {
        let committed = self.tx.commit().await;
        // Counted even when the answer is an error: the commit may have happened anyway.
        self.writes.committed();
        committed.map_err(StoreError::from)?;
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

/// Runs `task` at start and then every `period` until `stop` says so: a schedule every
/// instance runs (each task decides in the database which instance does each piece of work).
/// A failure is logged with `what` and tried again at the next turn.
pub(crate) async fn every<F, Fut>(
    app: App,
    mut stop: tokio::sync::watch::Receiver<bool>,
    period: std::time::Duration,
    what: &'static str,
    task: F,
) where
    F: Fn(App, i64) -> Fut,
    Fut: std::future::Future<Output = Result<usize>>,
{
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = task(app.clone(), sesame_store::now_ms()).await {
            tracing::warn!(error = %e, "could not look for {what}; trying again later");
        }
        tokio::select! {
            _ = tokio::time::sleep(period) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    /// The modules that queue mail and act on people, lowest first: each may use only those
    /// before it. `mail` renders and queues; `work` commits and wakes the worker; `delivery`
    /// is that worker, writing through `work`; `target` loads the person acted on; the rest
    /// are operations.
    const ORDER: &[(&str, &[&str])] = &[
        (
            "mail",
            &[
                include_str!("mail/mod.rs"),
                include_str!("mail/limit.rs"),
                include_str!("mail/render.rs"),
                include_str!("mail/signature.rs"),
            ],
        ),
        ("work", &[include_str!("work.rs")]),
        ("delivery", &[include_str!("delivery.rs")]),
        ("target", &[include_str!("target.rs")]),
        ("notifications", &[include_str!("notifications.rs")]),
        ("signature", &[include_str!("signature.rs")]),
        ("two_factor", &[include_str!("two_factor.rs")]),
        ("grace", &[include_str!("grace.rs")]),
        (
            "passkeys",
            &[
                include_str!("passkeys/mod.rs"),
                include_str!("passkeys/ceremony.rs"),
                include_str!("passkeys/device.rs"),
                include_str!("passkeys/sign_in.rs"),
            ],
        ),
        (
            "users",
            &[
                include_str!("users/mod.rs"),
                include_str!("users/change.rs"),
                include_str!("users/check.rs"),
                include_str!("users/grantable.rs"),
                include_str!("users/write.rs"),
            ],
        ),
    ];

    /// The top-level modules a source names after `crate::`, comments and unit tests aside:
    /// `crate::users::x` and `use crate::{users, mail::Kind}` alike.
    fn uses(source: &str) -> Vec<String> {
        let code: String = source
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect();
        let ident = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut found = Vec::new();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut start = 0;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            found.push(ident(&group[start..j]));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            found.push(ident(&group[start..j]));
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                found.push(ident(rest));
            }
        }
        found
    }

    #[test]
    fn the_modules_that_queue_mail_use_only_those_below_them() {
        for (low, (name, sources)) in ORDER.iter().enumerate() {
            for source in *sources {
                for used in uses(source) {
                    let higher = ORDER[low + 1..].iter().any(|(h, _)| *h == used);
                    assert!(
                        !higher,
                        "`{name}` uses `crate::{used}`, which sits above it: a cycle"
                    );
                }
            }
        }
    }

    /// Dropped or rolled back, a work leaves nothing and wakes no one; committed, it keeps its
    /// writes and wakes the mail worker only when it queued mail.
    #[tokio::test]
    async fn commits_or_leaves_nothing_and_wakes_the_worker_only_for_mail() {
        use super::Work;
        use sesame_store::server_keys::get_or_create;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("work.db").display());
        let app = crate::App::new(sesame_store::Store::connect(&url).await.unwrap());
        let woken = || {
            tokio::time::timeout(
                std::time::Duration::from_millis(50),
                app.mailer.wake.notified(),
            )
        };

        {
            let mut work = Work::begin(&app).await.unwrap();
            get_or_create(&mut work, "dropped", "kept", 0)
                .await
                .unwrap();
            work.mail_queued();
        }
        let mut work = Work::begin(&app).await.unwrap();
        get_or_create(&mut work, "rolled_back", "kept", 0)
            .await
            .unwrap();
        work.mail_queued();
        work.rollback().await.unwrap();
        assert!(woken().await.is_err(), "woken without a commit");

        let mut work = Work::begin(&app).await.unwrap();
        get_or_create(&mut work, "committed", "kept", 0)
            .await
            .unwrap();
        assert!(!work.queued());
        work.commit().await.unwrap();
        assert!(woken().await.is_err(), "woken without mail");

        let mut work = Work::begin(&app).await.unwrap();
        get_or_create(&mut work, "with_mail", "kept", 0)
            .await
            .unwrap();
        work.mail_queued();
        work.commit().await.unwrap();
        assert!(woken().await.is_ok(), "not woken after mail");

        let mut conn = app.store.read().await.unwrap();
        for (name, expected) in [
            ("dropped", "new"),
            ("rolled_back", "new"),
            ("committed", "kept"),
            ("with_mail", "kept"),
        ] {
            let got = get_or_create(&mut conn, name, "new", 0).await.unwrap();
            assert_eq!(got, expected, "{name}");
        }
    }

    /// One way to begin and commit: no source of the application but this one begins a
    /// transaction on the store.
    #[test]
    fn only_work_begins_a_transaction() {
        const EXCEPTIONS: &[&str] = &["work.rs"];
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![src.clone()];
        let mut read = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let name = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if !name.ends_with(".rs") || EXCEPTIONS.contains(&name.as_str()) {
                    continue;
                }
                read += 1;
                let source = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !source.contains("store.begin"),
                    "{name} begins a transaction by hand: use work::Work"
                );
            }
        }
        assert!(read > 50, "read only {read} sources");
    }

    #[test]
    fn reads_grouped_and_plain_uses() {
        let found = uses(
            "use crate::{App, users::load_target, mail::{Kind, Letter}};\n\
             // crate::two_factor in a comment\n\
             let t = crate::signature::render(s);",
        );
        assert_eq!(found, ["App", "users", "mail", "signature"]);
    }
}
