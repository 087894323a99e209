//! `sesame backup FILE` and `sesame restore FILE`: the SQLite database copied while it serves,
//! and a copy put back (see `sesame_store::backup`). These work on the database file itself,
//! for whoever may read the data directory: no organisation, no permission of Sésame's.
//! PostgreSQL has its own tools, named in the refusal and in the README.

use crate::args::Db;
use crate::commands::database_url;
use crate::output::{Failure, Out};
use sesame_core::FieldError;
use sesame_store::backup::{self as store, Refusal};
use std::path::Path;

fn refused(code: &'static str) -> FieldError {
    FieldError::new("", code)
}

/// A refusal of `restore`, said in the operator's words.
fn failure(r: Refusal, file: &Path) -> Failure {
    let path = file.display().to_string();
    let e = match r {
        Refusal::InUse => refused("restore.in_use"),
        Refusal::NotSesame(d) => refused("restore.not_sesame")
            .with("path", path)
            .with("detail", d),
        Refusal::Damaged(d) => refused("restore.damaged")
            .with("path", path)
            .with("detail", d),
        Refusal::Newer(v) => refused("restore.newer")
            .with("path", path)
            .with("version", v.to_string()),
        Refusal::Store(e) => return Failure::from(e),
    };
    Failure::App(sesame_app::Error::Refused(e))
}

pub async fn backup(db: &Db, file: &Path, out: &Out) -> Result<(), Failure> {
    let url = database_url(db)?;
    if store::sqlite_file(&url).is_none() {
        return Err(Failure::App(sesame_app::Error::Refused(refused(
            "backup.postgres",
        ))));
    }
    let s = sesame_store::Store::connect(&url).await?;
    let done = store::backup(&s, file).await;
    s.close().await;
    done?;
    eprintln!(
        "{}",
        out.t("cli-backup-done", &[("path", file.display().to_string())])
    );
    Ok(())
}

pub async fn restore(db: &Db, file: &Path, out: &Out) -> Result<(), Failure> {
    let url = database_url(db)?;
    let Some(target) = store::sqlite_file(&url) else {
        return Err(Failure::App(sesame_app::Error::Refused(refused(
            "restore.postgres",
        ))));
    };
    let restored = store::restore(file, &target)
        .await
        .map_err(|r| failure(r, file))?;
    eprintln!(
        "{}",
        out.t(
            "cli-restore-done",
            &[
                ("path", target.display().to_string()),
                ("version", restored.version.to_string()),
            ]
        )
    );
    if let Some(kept) = restored.kept {
        eprintln!(
            "{}",
            out.t("cli-restore-kept", &[("path", kept.display().to_string())])
        );
    }
    Ok(())
}

/// The lock `serve` holds on a SQLite database while it runs, so that no restore replaces
/// it meanwhile; `None` for PostgreSQL.
pub fn serving_lock(url: &str) -> Result<Option<store::ServingLock>, Failure> {
    let Some(file) = store::sqlite_file(url) else {
        return Ok(None);
    };
    match store::ServingLock::take(&file) {
        Ok(l) => Ok(Some(l)),
        Err(Refusal::InUse) => Err(Failure::App(sesame_app::Error::Refused(refused(
            "serve.restoring",
        )))),
        Err(r) => Err(failure(r, &file)),
    }
}
