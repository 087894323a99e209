//! One function per command; each opens the store, calls `sesame-app`, prints.

use crate::args::{
    Cli, Command, Db, GroupCommand, LogFormat, RoleCommand, TokenCommand, UserCommand,
};
use crate::output::{Failure, Out, table};
use secrecy::SecretString;
use sesame_app::users::{self, ListQuery, NewUser, RoleInGroup, UserView};
use sesame_app::{App, Principal};
use sesame_core::{Language, Profile};
use sesame_store::Store;
use std::path::Path;

pub async fn run(cli: Cli, out: &Out) -> Result<(), Failure> {
    match cli.command {
        Command::Serve {
            listen,
            public_url,
            smtp_url,
            mail_from,
            trusted_proxies,
            metrics_listen,
            metrics_token_file,
            log_format,
        } => {
            let mail = MailOptions {
                smtp_url,
                mail_from,
            };
            let proxies = sesame_server::client_addr::TrustedProxies::parse(
                trusted_proxies.as_deref().unwrap_or(""),
            )
            .map_err(|bad| Failure::Other(out.t("cli-trusted-proxy", &[("value", bad.0)])))?;
            let watch = Watch {
                metrics_listen,
                metrics_token_file,
                log_format,
            };
            serve(
                &cli.db,
                &listen,
                public_url.as_deref(),
                proxies,
                mail,
                watch,
                out,
            )
            .await
        }
        Command::Init {
            profile,
            admin_login,
            admin_email,
            admin_password_file,
            language,
            slug,
        } => {
            init(
                &cli.db,
                out,
                profile,
                admin_login,
                admin_email,
                admin_password_file,
                language,
                slug,
            )
            .await
        }
        Command::User(c) => user(&cli.db, out, c).await,
        Command::Group(c) => group(&cli.db, out, c).await,
        Command::Keys(c) => crate::keys::run(&open(&cli.db).await?, out, c).await,
        Command::Invitations(c) => crate::invitations::run(&cli.db, out, c).await,
        Command::App(c) => crate::apps::app(&cli.db, out, c).await,
        Command::Role(RoleCommand::List { json }) => {
            let (app, who) = operator(&cli.db).await?;
            let roles = sesame_app::roles::list(&app, &who).await?;
            if json {
                out.json_value(&roles);
            } else {
                let rows: Vec<Vec<String>> = roles
                    .iter()
                    .map(|r| {
                        vec![
                            r.name.clone(),
                            r.holders.to_string(),
                            r.requires.clone().unwrap_or_default(),
                            r.permissions.join(" "),
                        ]
                    })
                    .collect();
                table(&["ROLE", "HOLDERS", "REQUIRES", "PERMISSIONS"], &rows);
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create {
            login,
            name,
            days,
            json,
        }) => {
            let (app, who) = operator(&cli.db).await?;
            let id = users::id_of(&app, &who, &login).await?;
            let t =
                sesame_app::auth::create_api_token(&app, &who.in_person()?, &id, &name, days, None)
                    .await?;
            if json {
                out.json_value(&t);
            } else {
                eprintln!(
                    "{}",
                    out.t(
                        "cli-token-created",
                        &[("name", t.name.clone()), ("login", login)]
                    )
                );
                println!("{}", t.token);
            }
            Ok(())
        }
        Command::Import {
            history: Some(c), ..
        } => {
            let (app, who) = operator(&cli.db).await?;
            crate::imports::run(&app, &who, c, out).await
        }
        Command::Import {
            history: None,
            file: Some(file),
            dry_run,
            invite,
            skip_invalid,
            error_file,
            role_map,
            json,
        } => {
            let role_map = match &role_map {
                None => sesame_app::import::role_map::RoleMap::default(),
                Some(path) => crate::sheets::read_role_map(path, out)?,
            };
            let (app, who) = operator(&cli.db).await?;
            let opts = sesame_app::import::Options {
                role_map,
                dry_run,
                skip_invalid,
                send_invitations: invite,
                file_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                language: None,
            };
            crate::sheets::import(&app, &who, &file, &opts, error_file.as_deref(), json, out).await
        }
        Command::Import { file: None, .. } => {
            Err(Failure::Other(out.t("cli-import-file-missing", &[])))
        }
        Command::Export {
            format,
            lang,
            output,
        } => {
            let (app, who) = operator(&cli.db).await?;
            crate::sheets::export(
                &app,
                &who,
                format.as_deref(),
                lang.as_deref(),
                &output,
                out,
                false,
            )
            .await
        }
        Command::Backup { file } => crate::backup::backup(&cli.db, &file, out).await,
        Command::Restore { file } => crate::backup::restore(&cli.db, &file, out).await,
        Command::Template {
            format,
            lang,
            output,
        } => {
            let (app, who) = operator(&cli.db).await?;
            crate::sheets::export(
                &app,
                &who,
                format.as_deref(),
                lang.as_deref(),
                &output,
                out,
                true,
            )
            .await
        }
    }
}

pub(crate) fn database_url(db: &Db) -> Result<String, Failure> {
    if let Some(url) = &db.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&db.data_dir).map_err(|e| {
        match sesame_store::StoreError::from_io(&e, &db.data_dir) {
            Some(refused) => Failure::from(refused),
            None => Failure::Other(format!("{}: {e}", db.data_dir.display())),
        }
    })?;
    Ok(Store::sqlite_url(&db.data_dir))
}

pub(crate) async fn open(db: &Db) -> Result<App, Failure> {
    Ok(App::new(Store::connect(&database_url(db)?).await?))
}

pub(crate) async fn operator(db: &Db) -> Result<(App, Principal), Failure> {
    let app = open(db).await?;
    let org = app.org(db.org.as_deref()).await?;
    let who = app.operator(org);
    Ok((app, who))
}

/// Reads a password from the first line of a file (never from the command line, where it
/// would show in the process list and the shell history).
fn read_password(path: &Path, out: &Out) -> Result<SecretString, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::Other(out.t(
            "cli-password-file",
            &[
                ("path", path.display().to_string()),
                ("error", e.to_string()),
            ],
        ))
    })?;
    Ok(SecretString::from(
        text.lines().next().unwrap_or("").to_string(),
    ))
}

pub struct MailOptions {
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
}

/// The mail transport and its description for the start-up lines (never the SMTP password).
fn mailer(
    db: &Db,
    opts: MailOptions,
    base: &str,
) -> Result<(sesame_app::mail::Mailer, String), Failure> {
    let (transport, label) = match opts.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => {
            let credentials = match (
                std::env::var("SESAME_SMTP_USER"),
                std::env::var("SESAME_SMTP_PASSWORD"),
            ) {
                (Ok(u), Ok(p)) if !u.is_empty() => Some((u, p)),
                _ => None,
            };
            let t = sesame_mail::Transport::smtp_with(url.trim(), credentials)
                .map_err(|e| Failure::Other(format!("--smtp-url: {e}")))?;
            (t, format!("SMTP {}", sesame_mail::smtp_host(url)))
        }
        None => {
            let dir = db.data_dir.join("mail");
            let label = dir.display().to_string();
            (sesame_mail::Transport::Files(dir), label)
        }
    };
    let from = match opts.mail_from {
        Some(a) => sesame_core::Email::parse(&a)
            .map_err(|_| Failure::Other(format!("--mail-from: {a}")))?
            .as_str()
            .to_string(),
        None => sesame_mail::default_sender(base),
    };
    Ok((sesame_app::mail::Mailer::new(transport, base, &from), label))
}

/// How `serve` is watched: its metrics and its log.
struct Watch {
    metrics_listen: Option<String>,
    metrics_token_file: Option<std::path::PathBuf>,
    log_format: LogFormat,
}

/// The log on standard error, as text or as one JSON object a line (the event's fields at the
/// top level, the request's span — method, route, organisation, person — beside them).
fn start_log(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder
            // Colours only on a terminal: a log file or journal gets plain text.
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// The token of `--metrics-token-file`: the file's first line, which must not be empty.
fn metrics_token(path: &Path, out: &Out) -> Result<sesame_server::metrics::Token, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::Other(out.t(
            "cli-metrics-token-unreadable",
            &[("path", shown.clone()), ("error", e.to_string())],
        ))
    })?;
    let token = text.lines().next().unwrap_or("").trim();
    if token.is_empty() {
        return Err(Failure::Other(
            out.t("cli-metrics-token-empty", &[("path", shown)]),
        ));
    }
    Ok(sesame_server::metrics::Token(std::sync::Arc::new(
        SecretString::from(token.to_string()),
    )))
}

async fn serve(
    db: &Db,
    listen: &str,
    public_url: Option<&str>,
    trusted_proxies: sesame_server::client_addr::TrustedProxies,
    mail: MailOptions,
    watch: Watch,
    out: &Out,
) -> Result<(), Failure> {
    start_log(watch.log_format);
    let metrics_token = watch
        .metrics_token_file
        .as_deref()
        .map(|p| metrics_token(p, out))
        .transpose()?;
    // Beside the start, not in its way: the first page showing a phone number would otherwise
    // wait ~100 ms for the phone metadata.
    std::thread::spawn(sesame_core::Phone::warm_up);
    let url = database_url(db)?;
    // Held until the process ends: no restore replaces the database under the server.
    let _serving = crate::backup::serving_lock(&url)?;
    let store = Store::connect(&url).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Failure::Other(format!("{listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let base = public_url.map_or_else(
        || format!("http://{addr}"),
        |u| u.trim().trim_end_matches('/').to_string(),
    );
    let (mailer, mail_label) = mailer(db, mail, &base)?;
    let app = App::new(store.clone()).with_mailer(mailer);
    let metrics_listener = match &watch.metrics_listen {
        Some(at) => Some(
            tokio::net::TcpListener::bind(at)
                .await
                .map_err(|e| Failure::Other(format!("{at}: {e}")))?,
        ),
        None => None,
    };
    for job in sesame_app::import::jobs::interrupt_stale(&app).await? {
        eprintln!(
            "{}",
            out.t(
                "cli-imports-interrupted",
                &[("file", job.file_name), ("id", job.id)]
            )
        );
    }
    if let Some((_org, token)) = sesame_app::setup::bootstrap(&app).await? {
        use secrecy::ExposeSecret;
        let secret = token.expose_secret();
        println!("{}", out.t("cli-setup-link", &[]));
        println!("  {base}/setup?token={secret}");
        println!("{}", out.t("cli-setup-api", &[]));
        println!(
            "  curl -X POST {base}/api/v1/setup -H 'Content-Type: application/json' \\\n    -d '{{\"token\":\"{secret}\",\"login\":\"admin\",\"email\":\"admin@example.org\",\"password\":\"…\"}}'"
        );
    }
    let db_label = match store.backend() {
        sesame_store::Backend::Sqlite => {
            format!("SQLite {}", db.data_dir.join("sesame.db").display())
        }
        sesame_store::Backend::Postgres => "PostgreSQL".to_string(),
    };
    println!("{}", out.t("cli-mail", &[("mail", mail_label)]));
    // Scrapes never wait for the server to stop: the task is ended with it.
    let metrics_server = match metrics_listener {
        Some(listener) => {
            let at = listener
                .local_addr()
                .map_err(|e| Failure::Other(e.to_string()))?;
            println!("{}", out.t("cli-metrics", &[("addr", at.to_string())]));
            let served =
                sesame_server::serve_metrics(app.clone(), listener, std::future::pending::<()>());
            Some(tokio::spawn(served))
        }
        None => None,
    };
    // The last line: scripts wait for it.
    println!(
        "{}",
        out.t(
            "cli-listening",
            &[("addr", addr.to_string()), ("db", db_label)]
        )
    );
    tracing::info!(%addr, "listening");
    let options = sesame_server::Options {
        secure_cookies: sesame_server::cookies_secure(addr, public_url),
        trusted_proxies,
        metrics_token,
    };
    // What the start-up and each burst of requests freed goes back to the system (see
    // `memory`); stops with the runtime.
    tokio::spawn(crate::memory::give_back_every());
    let served = sesame_server::serve_with(app, listener, options, shutdown_signal()).await;
    if let Some(task) = metrics_server {
        task.abort();
    }
    served.map_err(|e| Failure::Other(e.to_string()))?;
    // A connection still held by what the stop cut off is not waited for: the database rolls
    // its transaction back when the process ends.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), store.close()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[allow(clippy::too_many_arguments)]
async fn init(
    db: &Db,
    out: &Out,
    profile: String,
    admin_login: String,
    admin_email: String,
    password_file: Option<std::path::PathBuf>,
    language: String,
    slug: Option<String>,
) -> Result<(), Failure> {
    let profile =
        Profile::parse(&profile).map_err(|e| sesame_app::Error::Invalid(vec![e.on("profile")]))?;
    let language = Language::parse(&language)
        .map_err(|e| sesame_app::Error::Invalid(vec![e.on("language")]))?;
    let name = db.org.clone().unwrap_or_else(|| {
        if language == Language::Fr {
            "Mon organisation".into()
        } else {
            "My organisation".into()
        }
    });
    let password = password_file
        .as_deref()
        .map(|p| read_password(p, out))
        .transpose()?;
    let has_password = password.is_some();
    let app = open(db).await?;
    let opts = sesame_app::setup::InitOptions {
        org_name: name,
        slug,
        profile,
        language,
        admin_login,
        admin_email,
        admin_password: password,
    };
    let (org, admin) = sesame_app::setup::init(&app, opts).await?;
    println!(
        "{}",
        out.t(
            "cli-init-done",
            &[
                ("org", org.row.name.clone()),
                ("slug", org.row.slug.clone()),
                ("profile", org.profile.code().into()),
                ("login", admin.login.clone())
            ]
        )
    );
    if !has_password {
        println!(
            "{}",
            out.t("cli-init-no-password", &[("login", admin.login)])
        );
    }
    Ok(())
}

/// Says what was done (unless the output is JSON), then shows the user.
fn report_user(out: &Out, json: bool, done: &str, u: &UserView) {
    if !json {
        eprintln!("{}", out.t(done, &[("login", u.login.clone())]));
    }
    print_user(out, json, u);
}

fn print_user(out: &Out, json: bool, u: &UserView) {
    if json {
        out.json_value(u);
        return;
    }
    let roles = u
        .roles
        .iter()
        .map(|r| {
            r.group
                .as_ref()
                .map_or_else(|| r.role.clone(), |g| format!("{}@{g}", r.role))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
        vec!["id".into(), u.id.clone()],
        vec!["login".into(), u.login.clone()],
        vec!["email".into(), u.email.clone().unwrap_or_default()],
        vec![
            "first_name".into(),
            u.first_name.clone().unwrap_or_default(),
        ],
        vec!["last_name".into(), u.last_name.clone().unwrap_or_default()],
        vec!["phone".into(), u.phone_national.clone().unwrap_or_default()],
        vec!["language".into(), u.language.clone()],
        vec!["status".into(), u.status.code().to_string()],
        vec!["roles".into(), roles],
        vec!["groups".into(), u.groups.join(", ")],
        vec!["created_at".into(), u.created_at.clone()],
    ];
    table(&["FIELD", "VALUE"], &rows);
}

/// `ROLE` or `ROLE@GROUP`.
fn role_arg(s: &str) -> RoleInGroup {
    match s.rsplit_once('@') {
        Some((role, group)) => RoleInGroup {
            role: role.to_string(),
            group: Some(group.to_string()),
        },
        None => RoleInGroup {
            role: s.to_string(),
            group: None,
        },
    }
}

async fn user(db: &Db, out: &Out, c: UserCommand) -> Result<(), Failure> {
    let (app, who) = operator(db).await?;
    match c {
        UserCommand::Add {
            email,
            login,
            first_name,
            last_name,
            phone,
            language,
            roles,
            groups,
            password_file,
            invite,
            json,
        } => {
            let password = password_file
                .as_deref()
                .map(|p| read_password(p, out))
                .transpose()?;
            let new = NewUser {
                login,
                email,
                first_name,
                last_name,
                phone,
                language,
                roles: roles.iter().map(|r| role_arg(r)).collect(),
                groups,
                send_invitation: invite,
                ..Default::default()
            };
            let u = users::create(&app, &who, new, password).await?;
            report_user(out, json, "cli-user-created", &u);
            if invite && !json {
                println!("{}", out.t("cli-invitation-queued", &[("login", u.login)]));
            }
        }
        UserCommand::List {
            q,
            role,
            group,
            status,
            two_factor,
            limit,
            json,
        } => {
            let page = users::list(
                &app,
                &who,
                &ListQuery {
                    q,
                    role,
                    group,
                    status,
                    two_factor,
                    limit: Some(limit),
                    cursor: None,
                },
            )
            .await?;
            if json {
                out.json_value(&page);
            } else if page.items.is_empty() {
                println!("{}", out.t("cli-no-users", &[]));
            } else {
                let rows: Vec<Vec<String>> = page
                    .items
                    .iter()
                    .map(|u| {
                        let name = [u.first_name.clone(), u.last_name.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ");
                        let roles = u
                            .roles
                            .iter()
                            .map(|r| {
                                r.group
                                    .as_ref()
                                    .map_or_else(|| r.role.clone(), |g| format!("{}@{g}", r.role))
                            })
                            .collect::<Vec<_>>();
                        vec![
                            u.login.clone(),
                            name,
                            u.email.clone().unwrap_or_default(),
                            u.status.code().to_string(),
                            roles.join(", "),
                        ]
                    })
                    .collect();
                table(&["LOGIN", "NAME", "EMAIL", "STATUS", "ROLES"], &rows);
            }
        }
        UserCommand::Show { login, json } => {
            let u = users::find(&app, &who, &login).await?;
            print_user(out, json, &u);
        }
        UserCommand::Disable { login, json } => {
            let id = users::id_of(&app, &who, &login).await?;
            let u = users::disable(&app, &who, &id).await?;
            report_user(out, json, "cli-user-disabled", &u);
        }
        UserCommand::Enable { login, json } => {
            let id = users::id_of(&app, &who, &login).await?;
            let u = users::enable(&app, &who, &id).await?;
            report_user(out, json, "cli-user-enabled", &u);
        }
        UserCommand::Passwd {
            login,
            password_file,
            json,
        } => {
            let password = read_password(&password_file, out)?;
            let id = users::id_of(&app, &who, &login).await?;
            let u = users::set_password(&app, &who, &id, password).await?;
            if json {
                out.json_value(&u);
            } else {
                println!("{}", out.t("cli-password-set", &[("login", u.login)]));
            }
        }
        UserCommand::ResetTwoFactor { login, json } => {
            let id = users::id_of(&app, &who, &login).await?;
            sesame_app::two_factor::reset(&app, &who, &id).await?;
            if json {
                out.json_value(&serde_json::json!({ "login": login, "two_factor": false }));
            } else {
                println!("{}", out.t("cli-two-factor-reset", &[("login", login)]));
            }
        }
        UserCommand::ExtendTwoFactor {
            login,
            days,
            until,
            json,
        } => {
            let id = users::id_of(&app, &who, &login).await?;
            let input = sesame_app::grace::ExtendInput { days, until };
            let now = sesame_app::time::now_ms();
            let state = sesame_app::grace::extend(&app, &who, &id, input, now).await?;
            if json {
                out.json_value(&serde_json::json!({ "login": login, "two_factor": state }));
            } else {
                let date = state
                    .grace_deadline
                    .as_deref()
                    .map(|d| sesame_app::time::date_time_of(out.lang, &who.org.zone, d))
                    .unwrap_or_default();
                println!(
                    "{}",
                    out.t(
                        "cli-two-factor-extended",
                        &[("login", login), ("date", date)]
                    )
                );
            }
        }
        UserCommand::Invite { login, json } => {
            let id = users::id_of(&app, &who, &login).await?;
            let sent = sesame_app::access::send_access(&app, &who, &id).await?;
            if json {
                out.json_value(&serde_json::json!({ "login": login, "kind": sent.kind, "message_id": sent.message_id }));
            } else {
                let code = if sent.kind == "invitation" {
                    "cli-invitation-queued"
                } else {
                    "cli-reset-queued"
                };
                println!("{}", out.t(code, &[("login", login)]));
            }
        }
    }
    Ok(())
}

async fn group(db: &Db, out: &Out, c: GroupCommand) -> Result<(), Failure> {
    use sesame_app::groups::{self, GroupInput};
    let (app, who) = operator(db).await?;
    match c {
        GroupCommand::Add { name, kind, json } => {
            let g = groups::create(
                &app,
                &who,
                GroupInput {
                    name: Some(name).into(),
                    kind: kind.into(),
                },
            )
            .await?;
            if json {
                out.json_value(&g);
            } else {
                println!("{}", out.t("cli-group-created", &[("name", g.name)]));
            }
        }
        GroupCommand::List { json } => {
            let list = groups::list(&app, &who).await?;
            if json {
                out.json_value(&list);
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|g| vec![g.name.clone(), g.kind.clone(), g.members.to_string()])
                    .collect();
                table(&["GROUP", "KIND", "MEMBERS"], &rows);
            }
        }
        GroupCommand::Show { name, json } => {
            let g = groups::find(&app, &who, &name).await?;
            if json {
                out.json_value(&g);
            } else {
                table(
                    &["GROUP", "KIND", "MEMBERS", "ID"],
                    &[vec![g.name, g.kind, g.members.to_string(), g.id]],
                );
            }
        }
        GroupCommand::AddMember { group, login, json } => {
            member(&app, &who, out, &group, &login, true, json).await?
        }
        GroupCommand::RemoveMember { group, login, json } => {
            member(&app, &who, out, &group, &login, false, json).await?
        }
    }
    Ok(())
}

async fn member(
    app: &App,
    who: &Principal,
    out: &Out,
    group: &str,
    login: &str,
    join: bool,
    json: bool,
) -> Result<(), Failure> {
    let g = sesame_app::groups::find(app, who, group).await?;
    let id = users::id_of(app, who, login).await?;
    sesame_app::groups::set_member(app, who, &g.id, &id, join).await?;
    if json {
        out.json_value(&serde_json::json!({ "group": g.name, "login": login, "member": join }));
    } else {
        let key = if join {
            "cli-member-added"
        } else {
            "cli-member-removed"
        };
        println!(
            "{}",
            out.t(key, &[("login", login.to_string()), ("group", g.name)])
        );
    }
    Ok(())
}
