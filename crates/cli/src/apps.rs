//! `sesame app …`: the organisation's applications (OpenID Connect clients), as PRODUCT.md
//! fixes `app add`. A confidential client's secret is printed once (on stdout, so that a
//! script can keep it); only its hash is stored.

use crate::args::{AppCommand, Db};
use crate::commands::operator;
use crate::output::{Failure, Out, table};
use sesame_app::apps::{self, AppInput, AppView};
use sesame_app::patch::Patch;

fn list_of(values: Vec<String>) -> Patch<Vec<String>> {
    if values.is_empty() {
        Patch::Absent
    } else {
        Patch::Value(values)
    }
}

pub(crate) async fn app(db: &Db, out: &Out, c: AppCommand) -> Result<(), Failure> {
    let (app, who) = operator(db).await?;
    match c {
        AppCommand::Add {
            name,
            redirect_uris,
            public,
            trusted,
            groups,
            post_logout_uris,
            backchannel_logout_uri,
            launch_url,
            logo_url,
            forward_auth_hosts,
            id_token_alg,
            access_token_lifetime,
            refresh_token_lifetime,
            json,
        } => {
            let input = AppInput {
                name: Patch::Value(name),
                // Always sent, so that a missing one is named like any other error.
                redirect_uris: Patch::Value(redirect_uris),
                public: Patch::Value(public),
                trusted: Patch::Value(trusted),
                groups: list_of(groups),
                post_logout_uris: list_of(post_logout_uris),
                backchannel_logout_uri: backchannel_logout_uri.into(),
                launch_url: launch_url.into(),
                logo_url: logo_url.into(),
                forward_auth_hosts: list_of(forward_auth_hosts),
                id_token_alg: id_token_alg.into(),
                access_token_lifetime_s: access_token_lifetime.into(),
                refresh_token_lifetime_s: refresh_token_lifetime.into(),
            };
            let saved = apps::create(&app, &who, input).await?;
            if json {
                let mut v = serde_json::json!({ "client_id": saved.app.client_id });
                if let Some(s) = &saved.client_secret {
                    v["client_secret"] = s.clone().into();
                }
                out.json_value(&v);
            } else {
                eprintln!(
                    "{}",
                    out.t("cli-app-created", &[("name", saved.app.name.clone())])
                );
                println!("client_id: {}", saved.app.client_id);
                if let Some(s) = &saved.client_secret {
                    eprintln!("{}", out.t("cli-app-secret-once", &[]));
                    println!("client_secret: {s}");
                }
            }
        }
        AppCommand::List { json } => {
            let list = apps::list(&app, &who).await?;
            if json {
                out.json_value(&list);
            } else {
                let rows: Vec<Vec<String>> = list.iter().map(row).collect();
                table(
                    &[
                        "APPLICATION",
                        "CLIENT_ID",
                        "TYPE",
                        "GROUPS",
                        "REDIRECT_URIS",
                    ],
                    &rows,
                );
            }
        }
        AppCommand::Show { app: name, json } => {
            let a = apps::get(&app, &who, &name).await?;
            if json {
                out.json_value(&a);
            } else {
                show(&a);
            }
        }
        AppCommand::RotateSecret { app: name, json } => {
            let s = apps::rotate_secret(&app, &who, &name).await?;
            if json {
                out.json_value(&s);
            } else {
                eprintln!("{}", out.t("cli-app-secret-once", &[]));
                println!("client_id: {}", s.client_id);
                println!("client_secret: {}", s.client_secret);
            }
        }
        AppCommand::Remove { app: name, json } => {
            let a = apps::get(&app, &who, &name).await?;
            apps::remove(&app, &who, &a.client_id).await?;
            if json {
                out.json_value(&serde_json::json!({ "client_id": a.client_id, "removed": true }));
            } else {
                println!("{}", out.t("cli-app-removed", &[("name", a.name)]));
            }
        }
    }
    Ok(())
}

fn kind(a: &AppView) -> String {
    if a.public { "public" } else { "confidential" }.to_string()
}

fn row(a: &AppView) -> Vec<String> {
    vec![
        a.name.clone(),
        a.client_id.clone(),
        kind(a),
        a.groups.join(", "),
        a.redirect_uris.join(" "),
    ]
}

fn show(a: &AppView) {
    let lines: Vec<Vec<String>> = [
        ("name", a.name.clone()),
        ("client_id", a.client_id.clone()),
        ("type", kind(a)),
        ("trusted", a.trusted.to_string()),
        ("redirect_uris", a.redirect_uris.join(" ")),
        ("post_logout_uris", a.post_logout_uris.join(" ")),
        (
            "backchannel_logout_uri",
            a.backchannel_logout_uri.clone().unwrap_or_default(),
        ),
        ("launch_url", a.launch_url.clone().unwrap_or_default()),
        ("logo_url", a.logo_url.clone().unwrap_or_default()),
        ("forward_auth_hosts", a.forward_auth_hosts.join(" ")),
        ("groups", a.groups.join(", ")),
        ("id_token_alg", a.id_token_alg.clone()),
        (
            "access_token_lifetime_s",
            a.access_token_lifetime_s.to_string(),
        ),
        (
            "refresh_token_lifetime_s",
            a.refresh_token_lifetime_s.to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    table(&["FIELD", "VALUE"], &lines);
}
