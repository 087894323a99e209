//! How the CLI speaks: aligned tables or JSON on stdout, errors on stderr (or as JSON), in the
//! operator's language (SESAME_LANG, else LC_ALL / LC_MESSAGES / LANG; English unless French).

use sesame_app::{Error, i18n};
use sesame_core::Language;
use std::process::ExitCode;

pub struct Out {
    pub json: bool,
    pub lang: Language,
}

/// A failure of a command: an operation's error, or a problem of the machine (files, database).
pub enum Failure {
    App(Error),
    Other(String),
    /// What went wrong is already printed (an import's report): exit 1, say nothing more.
    Reported,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::App(e)
    }
}

impl From<sesame_store::StoreError> for Failure {
    fn from(e: sesame_store::StoreError) -> Self {
        Failure::App(Error::from(e))
    }
}

impl Out {
    pub fn new(json: bool) -> Self {
        let env = ["SESAME_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        let lang = env
            .and_then(|v| Language::parse(v.split('.').next().unwrap_or("")).ok())
            .unwrap_or(Language::En);
        Self { json, lang }
    }

    pub fn t(&self, id: &str, args: &[(&str, String)]) -> String {
        i18n::message(self.lang, id, args)
    }

    pub fn json_value<T: serde::Serialize>(&self, v: &T) {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    }

    /// Prints an error and chooses the exit status: 1 for what the person can fix, 3 otherwise.
    pub fn fail(&self, f: Failure) -> ExitCode {
        let (errors, status): (Vec<(String, String, String)>, u8) = match f {
            Failure::Reported => return ExitCode::from(1),
            Failure::Other(msg) => (vec![(String::new(), "error".into(), msg)], 3),
            Failure::App(e) => {
                let status = if e.is_machine() { 3 } else { 1 };
                let list = match &e {
                    // At the command line the operator is the one who reads the detail.
                    Error::DiskFull(d) | Error::ReadOnly(d) | Error::Unreachable(d) => e
                        .field_errors()
                        .into_iter()
                        .map(|f| f.with("detail", d))
                        .collect(),
                    // An upgrade that could not finish: which migration, and that nothing of
                    // it was kept.
                    Error::Store(sesame_store::StoreError::MigrationFailed {
                        version,
                        description,
                        detail,
                    }) => vec![
                        sesame_core::FieldError::new("", "store.migration_failed")
                            .with("version", version.to_string())
                            .with("name", description)
                            .with("detail", detail),
                    ],
                    Error::Store(sesame_store::StoreError::NewerDatabase(version)) => vec![
                        sesame_core::FieldError::new("", "store.newer_database")
                            .with("version", version.to_string()),
                    ],
                    Error::Store(_) | Error::Internal(_) => vec![
                        sesame_core::FieldError::new("", "server.internal")
                            .with("detail", e.to_string()),
                    ],
                    _ => e.field_errors(),
                };
                let rendered = list
                    .iter()
                    .map(|e| {
                        let mut msg = i18n::field_error(self.lang, e);
                        if let Some((_, d)) = e.args.iter().find(|(k, _)| *k == "detail") {
                            msg = format!("{msg} ({d})");
                        }
                        (e.field.clone(), e.code.to_string(), msg)
                    })
                    .collect();
                (rendered, status)
            }
        };
        if self.json {
            let list: Vec<_> = errors
                .iter()
                .map(|(f, c, m)| serde_json::json!({ "field": f, "code": c, "message": m }))
                .collect();
            println!("{}", serde_json::json!({ "errors": list }));
        } else {
            let label = self.t("cli-error", &[]);
            for (field, _, msg) in &errors {
                if field.is_empty() {
                    eprintln!("{label}: {msg}");
                } else {
                    eprintln!("{label}: {field}: {msg}");
                }
            }
        }
        ExitCode::from(status)
    }
}

/// Prints rows as columns aligned on the widest cell (counted in characters, not bytes).
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - c.chars().count())))
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
}
