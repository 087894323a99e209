//! `sesame import list` and `sesame import undo`.

use crate::args::ImportCommand;
use crate::output::{Failure, Out, table};
use sesame_app::import::{history, undo};
use sesame_app::{App, Principal};

pub async fn run(app: &App, who: &Principal, c: ImportCommand, out: &Out) -> Result<(), Failure> {
    match c {
        ImportCommand::List { json } => {
            let list = history::list(app, who).await?;
            if json {
                out.json_value(&list);
                return Ok(());
            }
            let yes = out.t("cli-yes", &[]);
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|e| {
                    vec![
                        e.id.clone(),
                        e.created_at.clone(),
                        e.by.clone().unwrap_or_default(),
                        e.file_name.clone(),
                        match (&e.undone_at, e.options.dry_run, e.applied) {
                            (Some(_), _, _) => out.t("cli-imports-state-undone", &[]),
                            (None, true, _) => out.t("cli-imports-state-dry-run", &[]),
                            (None, false, true) => out.t("cli-imports-state-applied", &[]),
                            (None, false, false) => {
                                out.t(&format!("cli-imports-state-{}", e.state), &[])
                            }
                        },
                        format!("{}/{}/{}/{}", e.created, e.updated, e.unchanged, e.invalid),
                        if e.undoable {
                            yes.clone()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let headers = out.t("cli-imports-headers", &[]);
            let headers: Vec<&str> = headers.split('|').collect();
            table(&headers, &rows);
            Ok(())
        }
        ImportCommand::Undo {
            id,
            dry_run,
            confirm,
            json,
        } => {
            let req = undo::UndoRequest { dry_run, confirm };
            let r = undo::undo(app, who, &id, &req).await?;
            if json {
                out.json_value(&r);
                return Ok(());
            }
            for c in &r.conflicts {
                let mark = if c.confirmed {
                    out.t("cli-import-undo-confirmed", &[])
                } else {
                    out.t("cli-import-undo-left", &[])
                };
                eprintln!("{mark} {}", c.message);
            }
            let code = if r.undone {
                "cli-import-undone"
            } else {
                "cli-import-undo-preview"
            };
            println!("{}", out.t(code, &[]));
            let roles = r.roles_taken_back + r.roles_given_back;
            let memberships = r.memberships_taken_back + r.memberships_given_back;
            for (id, n) in [
                ("web-import-undo-deleted", r.deleted),
                ("web-import-undo-restored", r.restored),
                ("web-import-undo-roles", roles),
                ("web-import-undo-memberships", memberships),
                ("web-import-undo-invited", r.invited_again),
                ("web-import-undo-left", r.left_alone),
                ("web-import-undo-gone", r.already_gone),
            ] {
                if n > 0
                    || !id.ends_with("invited") && !id.ends_with("left") && !id.ends_with("gone")
                {
                    println!("- {}", out.t(id, &[("count", n.to_string())]));
                }
            }
            if !r.unconfirmed.is_empty() {
                println!(
                    "{}",
                    out.t(
                        "cli-import-undo-unconfirmed",
                        &[("value", r.unconfirmed.join(","))]
                    )
                );
            }
            Ok(())
        }
    }
}
