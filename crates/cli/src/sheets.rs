//! `sesame import`, `sesame export` and `sesame template`.

use crate::output::{Failure, Out};
use sesame_app::import::{self, Options, files};
use sesame_app::{App, Principal};
use sesame_core::Language;
use sesame_sheet::{Format, Limits};
use std::io::IsTerminal;
use std::path::Path;

/// Reads, checks, writes (unless a dry run), reports; the exit status is 0 only when all that
/// was asked was done.
pub async fn import(
    app: &App,
    who: &Principal,
    file: &Path,
    opts: &Options,
    error_file: Option<&Path>,
    json: bool,
    out: &Out,
) -> Result<(), Failure> {
    let lang = out.lang;
    let opts = &Options {
        language: Some(lang),
        ..opts.clone()
    };
    let bar = progress_bar(json);
    let tick = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    let sheet = sesame_sheet::open(file, &files::SHEET_NAMES, &Limits::default());
    let outcome = import::history::import_here(app, who, sheet, opts, &tick).await?;
    let format = outcome.format;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let s = &outcome.summary;
    let mut written = None;
    if let Some(path) = error_file
        && !outcome.faulty.rows.is_empty()
    {
        let asked = Format::from_path(path);
        let fmt = files::error_format(asked, format.unwrap_or(Format::Csv));
        let book = files::error_file(&outcome.faulty, lang);
        let bytes = sesame_sheet::write(fmt, &book)
            .map_err(|e| Failure::Other(format!("{}: {e}", path.display())))?;
        std::fs::write(path, bytes)
            .map_err(|e| Failure::Other(format!("{}: {e}", path.display())))?;
        written = Some(path.display().to_string());
    }
    if json {
        let errors: Vec<_> = s
            .errors
            .iter()
            .map(|e| serde_json::json!({"row": e.row, "column": e.column, "code": e.code, "message": e.message}))
            .collect();
        out.json_value(&serde_json::json!({
            "created": s.created,
            "updated": s.updated,
            "unchanged": s.unchanged,
            "invalid": s.invalid,
            "errors": errors,
            "applied": s.applied,
            "dry_run": opts.dry_run,
            "password_hashes": s.password_hashes,
            "role_map": s.role_map,
            "error_file": written,
        }));
    } else {
        for e in &s.errors {
            let place = match (e.row, e.column.is_empty()) {
                (0, _) => String::new(),
                (r, true) => out.t("cli-import-row", &[("row", r.to_string())]),
                (r, false) => out.t(
                    "cli-import-cell",
                    &[("row", r.to_string()), ("column", e.column.clone())],
                ),
            };
            if place.is_empty() {
                eprintln!("{}", e.message);
            } else {
                eprintln!("{place} {}", e.message);
            }
        }
        let counts = [
            ("created", s.created.to_string()),
            ("updated", s.updated.to_string()),
            ("unchanged", s.unchanged.to_string()),
            ("invalid", s.invalid.to_string()),
        ];
        println!("{}", out.t("cli-import-counts", &counts));
        let verdict = if s.applied {
            "cli-import-applied"
        } else if opts.dry_run {
            "cli-import-dry-run"
        } else {
            "cli-import-nothing-written"
        };
        println!("{}", out.t(verdict, &[]));
        if let Some(p) = &written {
            println!("{}", out.t("cli-import-error-file", &[("path", p.clone())]));
        }
    }
    if outcome.complete(opts.dry_run) {
        Ok(())
    } else {
        Err(Failure::Reported)
    }
}

fn progress_bar(json: bool) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} rows checked ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// `export` or (with `template`) `template`.
pub async fn export(
    app: &App,
    who: &Principal,
    format: Option<&str>,
    lang: Option<&str>,
    output: &Path,
    out: &Out,
    template: bool,
) -> Result<(), Failure> {
    let fmt = match format {
        Some(f) => Format::parse(f).filter(|f| f.writable()).ok_or_else(|| {
            Failure::Other(out.t("cli-sheet-format", &[("value", f.to_string())]))
        })?,
        None => Format::from_path(output)
            .filter(|f| f.writable())
            .unwrap_or(Format::Xlsx),
    };
    let lang = match lang {
        Some(l) => {
            Language::parse(l).map_err(|e| sesame_app::Error::Invalid(vec![e.on("lang")]))?
        }
        None => who.org.language,
    };
    let book = if template {
        files::template(app, who, lang).await?
    } else {
        files::export(app, who, lang).await?
    };
    let bytes = sesame_sheet::write(fmt, &book)
        .map_err(|e| Failure::Other(format!("{}: {e}", output.display())))?;
    std::fs::write(output, bytes)
        .map_err(|e| Failure::Other(format!("{}: {e}", output.display())))?;
    let code = if template {
        "cli-template-written"
    } else {
        "cli-export-written"
    };
    println!(
        "{}",
        out.t(
            code,
            &[
                ("path", output.display().to_string()),
                ("rows", book.rows.len().to_string())
            ]
        )
    );
    Ok(())
}

/// Reads the file of `--role-map` ([`sesame_app::import::role_map::RoleMap::from_text`]): a
/// file that cannot be read, or a wrong line, is reported with its path (and the line).
pub fn read_role_map(
    path: &Path,
    out: &Out,
) -> Result<sesame_app::import::role_map::RoleMap, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::Other(out.t(
            "cli-role-map-file",
            &[
                ("path", path.display().to_string()),
                ("error", e.to_string()),
            ],
        ))
    })?;
    sesame_app::import::role_map::RoleMap::from_text(&text).map_err(|e| {
        Failure::App(sesame_app::Error::Invalid(vec![
            e.with("path", path.display().to_string()),
        ]))
    })
}
