//! `sesame invitations`: everyone invited and not yet active, and sending them new invitations
//! (issue 23), as the operator.

use crate::args::{Db, InvitationsCommand};
use crate::commands::operator;
use crate::output::{Failure, Out, table};
use sesame_app::invitations::{self, InvitationsQuery, ResendInput};
use sesame_app::time::now_ms;

pub async fn run(db: &Db, out: &Out, command: InvitationsCommand) -> Result<(), Failure> {
    let (app, who) = operator(db).await?;
    match command {
        InvitationsCommand::List { state, limit, json } => {
            let q = InvitationsQuery {
                state,
                limit: Some(limit),
                cursor: None,
            };
            let page = invitations::list(&app, &who, &q, now_ms()).await?;
            if json {
                out.json_value(&page);
                return Ok(());
            }
            if page.items.is_empty() {
                println!("{}", out.t("cli-invitations-none", &[]));
                return Ok(());
            }
            let rows: Vec<Vec<String>> = page
                .items
                .into_iter()
                .map(|i| {
                    let (delivery, error) = match i.delivery {
                        Some(d) => (d.state, d.error.unwrap_or_default()),
                        None => (String::new(), String::new()),
                    };
                    vec![
                        i.login,
                        i.email.unwrap_or_default(),
                        i.state,
                        i.invited_at.unwrap_or_default(),
                        i.invited_by.map(|b| b.login).unwrap_or_default(),
                        i.link_expires_at.unwrap_or_default(),
                        i.reminders_sent.to_string(),
                        delivery,
                        error,
                    ]
                })
                .collect();
            table(
                &[
                    "LOGIN",
                    "EMAIL",
                    "STATE",
                    "INVITED",
                    "BY",
                    "LINK EXPIRES",
                    "REMINDERS",
                    "E-MAIL",
                    "SERVER SAID",
                ],
                &rows,
            );
            Ok(())
        }
        InvitationsCommand::Resend {
            logins,
            all,
            expired,
            failed,
            not_sent,
            json,
        } => {
            let select = [
                (all, "all"),
                (expired, "expired"),
                (failed, "failed"),
                (not_sent, "not_sent"),
            ]
            .into_iter()
            .find(|(on, _)| *on)
            .map(|(_, s)| s.to_string());
            let ids = if select.is_none() {
                let mut ids = Vec::with_capacity(logins.len());
                for l in &logins {
                    ids.push(sesame_app::users::id_of(&app, &who, l).await?);
                }
                Some(ids)
            } else {
                None
            };
            let report =
                invitations::resend(&app, &who, ResendInput { ids, select }, now_ms()).await?;
            if json {
                out.json_value(&report);
            } else {
                println!(
                    "{}",
                    out.t(
                        "cli-invitations-sent",
                        &[("count", report.sent.len().to_string())]
                    )
                );
                for s in &report.skipped {
                    eprintln!(
                        "{}",
                        out.t(
                            "cli-invitations-skipped",
                            &[("login", s.login.clone()), ("reason", s.message.clone())]
                        )
                    );
                }
            }
            if report.skipped.is_empty() {
                Ok(())
            } else {
                Err(Failure::Reported)
            }
        }
    }
}
