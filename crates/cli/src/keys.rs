//! `sesame keys`: the OpenID Connect signing keys, listed and rotated. Server-wide, so no
//! organisation is asked for; nothing here ever prints a key's material.

use crate::args::KeysCommand;
use crate::output::{Failure, Out, table};
use sesame_app::App;
use sesame_app::keys;

pub async fn run(app: &App, out: &Out, command: KeysCommand) -> Result<(), Failure> {
    match command {
        KeysCommand::List { json } => {
            // A database that never served has none yet: make them, as `serve` would.
            keys::ensure(app).await?;
            let list = keys::list(app).await?;
            if json {
                out.json_value(&list);
            } else {
                let rows: Vec<Vec<String>> = list
                    .into_iter()
                    .map(|k| {
                        vec![
                            k.kid,
                            k.alg,
                            k.state,
                            k.created_at,
                            k.activated_at.unwrap_or_default(),
                            k.retired_at.unwrap_or_default(),
                            k.deleted_after.unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "KID", "ALG", "STATE", "CREATED", "SIGNING", "RETIRED", "DELETED",
                    ],
                    &rows,
                );
            }
            Ok(())
        }
        KeysCommand::Rotate { json } => {
            let rotation = keys::rotate(app).await?;
            if json {
                out.json_value(&rotation);
                return Ok(());
            }
            if rotation.rotated.is_empty() {
                println!("{}", out.t("cli-keys-not-rotated", &[]));
            }
            for r in &rotation.rotated {
                println!(
                    "{}",
                    out.t(
                        "cli-keys-rotated",
                        &[
                            ("alg", r.alg.as_str().to_string()),
                            ("retired", r.retired.clone()),
                            ("current", r.current.clone()),
                            ("next", r.next.clone()),
                        ],
                    )
                );
            }
            if rotation.deleted > 0 {
                println!(
                    "{}",
                    out.t(
                        "cli-keys-deleted",
                        &[("count", rotation.deleted.to_string())]
                    )
                );
            }
            Ok(())
        }
    }
}
