//! Single sign-on with a real relying party (issue 21): Debian's Apache with
//! `libapache2-mod-auth-openidc` protects two applications of the organisation, and Debian's
//! chromium (playwright-core, `tests/browser/oidc_apache.mjs`) signs in through Sésame's own
//! pages — with a two-factor code from pyotp, the person's role requiring it —, is let into a
//! `Require claim groups:Bureau` page as a member and kept out as a non-member (and likewise
//! `Require claim role_names:Trésorier`: the flat `role_names` suits Apache, whereas `roles`, a
//! list of objects, never reaches its headers, mod_auth_openidc logging a warning), opens the
//! second application without a password (single sign-on), withdraws the first one's consent
//! under My account (its tokens end; it asks again), signs out of an application
//! (RP-initiated logout) and of Sésame itself (back-channel logout ends the application's
//! session), and loses the application when an administrator ends the person's sessions.
//! A non-member meets the page of an application closed to his groups, and the confirmation
//! page of a logout that carries no `id_token_hint`; axe-core checks each page met.
//!
//! Apache runs here as a stand-alone server: a whole `apache2.conf` of its own in a temporary
//! folder, two virtual hosts on free loopback ports (one per application, each its own client
//! of Sésame and its own session cookie), started with `apache2 -k start` and stopped by the PID
//! in its `PidFile` when the guard drops, the test failing or not. `./scripts/test` installs
//! `apache2` and `libapache2-mod-auth-openidc` when missing, chromium, playwright-core
//! (`tests/browser/node_modules`) and pyotp (`.venv-test/`); without them this test fails
//! saying so, it is never skipped.

use crate::harness::{Db, Server, USER_PASSWORD, pyotp_code, python, unix_now};
use crate::nginx::free_port;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;
use std::path::Path;
use std::process::Command;

const APACHE: &str = "/usr/sbin/apache2";
const MODULES: &str = "/usr/lib/apache2/modules";

/// One application as Apache serves it: its address and its registration with Sésame.
struct Rp {
    name: &'static str,
    port: u16,
    client_id: String,
    client_secret: String,
}

impl Rp {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    fn redirect_uri(&self) -> String {
        format!("{}/app/redirect_uri", self.base())
    }
}

/// Apache started as a daemon, stopped (TERM to the PID of its `PidFile`) when dropped.
struct Apache {
    dir: tempfile::TempDir,
}

impl Apache {
    /// Writes the configuration and the pages of `rps` and starts Apache on their ports.
    fn start(issuer: &str, rps: &[Rp]) -> Self {
        assert!(
            Path::new(APACHE).exists() && Path::new(MODULES).join("mod_auth_openidc.so").exists(),
            "Apache and mod_auth_openidc are needed: apt-get install -y --no-install-recommends apache2 libapache2-mod-auth-openidc (./scripts/test does)"
        );
        let dir = tempfile::tempdir().expect("dir");
        // Apache's children run as www-data and must read the pages.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let d = dir.path().display();
        let mut conf = format!(
            r#"ServerRoot /etc/apache2
ServerName 127.0.0.1
PidFile {d}/apache2.pid
DefaultRuntimeDir {d}
ErrorLog {d}/error.log
LogLevel warn auth_openidc:info
User www-data
Group www-data
StartServers 1
ServerLimit 2
ThreadsPerChild 25
MaxRequestWorkers 50
MinSpareThreads 5
MaxSpareThreads 50
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authn_core_module {MODULES}/mod_authn_core.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule authz_user_module {MODULES}/mod_authz_user.so
LoadModule auth_openidc_module {MODULES}/mod_auth_openidc.so
LoadModule dir_module {MODULES}/mod_dir.so
LoadModule mime_module {MODULES}/mod_mime.so
LoadModule headers_module {MODULES}/mod_headers.so
TypesConfig /etc/mime.types
DirectoryIndex index.html
OIDCCacheType shm
"#
        );
        for rp in rps {
            let root = dir.path().join(rp.name);
            for (path, title) in [
                (
                    "app/index.html",
                    format!("Application {}", rp.name.to_uppercase()),
                ),
                ("app/bureau/index.html", "Bureau".to_string()),
                ("app/tresorerie/index.html", "Trésorerie".to_string()),
                ("bye.html", "Au revoir".to_string()),
            ] {
                let file = root.join(path);
                std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
                std::fs::write(
                    file,
                    format!("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>{title}</title><h1>{title}</h1></html>\n"),
                )
                .expect("page");
            }
            // The claim rule sits on a sub-location: on the location of the redirect URI it
            // would refuse the back-channel logout's POST, which has no session.
            conf.push_str(&format!(
                r#"
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    DocumentRoot {root}
    OIDCProviderMetadataURL {issuer}/.well-known/openid-configuration
    OIDCSSLValidateServer Off
    OIDCClientID {client_id}
    OIDCClientSecret {client_secret}
    OIDCRedirectURI {redirect_uri}
    OIDCCryptoPassphrase une-phrase-de-test-pour-{name}
    OIDCScope "openid profile email groups roles"
    OIDCInfoHook iat access_token access_token_expires id_token userinfo session
    OIDCCookie sesame_test_{name}_session
    OIDCCookieSameSite On
    <Directory {root}>
        Require all granted
    </Directory>
    <Location /app/>
        AuthType openid-connect
        Require valid-user
        # Pages behind a sign-in are not to be kept: a page loaded just before a sign-out
        # would otherwise come back from the browser's cache (heuristic freshness), signed in.
        Header always set Cache-Control no-store
    </Location>
    <Location /app/bureau/>
        AuthType openid-connect
        Require claim groups:Bureau
    </Location>
    <Location /app/tresorerie/>
        AuthType openid-connect
        Require claim role_names:Trésorier
    </Location>
</VirtualHost>
"#,
                port = rp.port,
                root = root.display(),
                client_id = rp.client_id,
                client_secret = rp.client_secret,
                redirect_uri = rp.redirect_uri(),
                name = rp.name,
            ));
        }
        let file = dir.path().join("apache2.conf");
        std::fs::write(&file, conf).expect("write apache2.conf");
        let out = Command::new("sh")
            .arg("-c")
            .arg(r#". /etc/apache2/envvars && exec "$0" -f "$1" -k start"#)
            .arg(APACHE)
            .arg(&file)
            .output()
            .expect("start apache2");
        let apache = Self { dir };
        assert!(
            out.status.success(),
            "apache2 -k start: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            apache.log()
        );
        for rp in rps {
            let listening = (0..200).any(|_| {
                std::net::TcpStream::connect(("127.0.0.1", rp.port)).is_ok() || {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                    false
                }
            });
            assert!(
                listening,
                "Apache did not listen on {}: {}",
                rp.port,
                apache.log()
            );
        }
        apache
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    fn pid(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.path().join("apache2.pid"))
            .ok()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
    }
}

impl Drop for Apache {
    fn drop(&mut self) {
        let Some(pid) = self.pid() else { return };
        let _ = Command::new("kill").arg("-TERM").arg(&pid).status();
        // The parent stops its children, then itself; its folder goes after it.
        for _ in 0..200 {
            if !Path::new("/proc").join(&pid).exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let _ = Command::new("kill").arg("-KILL").arg(&pid).status();
    }
}

/// Registers an application (as `sesame app add` does), open to the members of `groups`
/// (everyone when empty); answers its client id and secret.
async fn register(
    s: &Server,
    name: &'static str,
    port: u16,
    title: &str,
    trusted: bool,
    groups: &[&str],
) -> Rp {
    let base = format!("http://127.0.0.1:{port}");
    let input: sesame_app::apps::AppInput = serde_json::from_value(json!({
        "name": title,
        "launch_url": format!("{base}/app/"),
        "redirect_uris": [format!("{base}/app/redirect_uri")],
        "post_logout_uris": [format!("{base}/bye.html")],
        "backchannel_logout_uri": format!("{base}/app/redirect_uri?logout=backchannel"),
        "trusted": trusted,
        "groups": groups,
    }))
    .expect("app input");
    let org = s.app.org(None).await.expect("org");
    let saved = sesame_app::apps::create(&s.app, &s.app.operator(org), input)
        .await
        .expect("register an app");
    Rp {
        name,
        port,
        client_id: saved.app.client_id,
        client_secret: saved.client_secret.expect("a confidential client's secret"),
    }
}

/// Runs the browser's part; its lines are printed, its failure fails the test with Apache's log.
fn run_browser(state: &Path, apache: &Apache) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(
        root.join("tests/browser/node_modules/playwright-core")
            .exists(),
        "playwright-core is missing: run ./scripts/test once (it installs tests/browser/node_modules)"
    );
    let out = Command::new("node")
        .arg(root.join("tests/browser/oidc_apache.mjs"))
        .arg(state)
        .current_dir(&root)
        .output()
        .expect("run node (tests/browser/oidc_apache.mjs)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("apache story passed"),
        "the browser story failed:\n{stdout}\n{}\n--- Apache's error.log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        apache.log()
    );
}

async fn apache_signs_people_in(db: &Db) {
    let s = Server::start_public(db).await;
    let admin = s.init(Profile::Amap).await;
    let (camille, camille_token) = s
        .user_with_roles(&admin, "camille", json!([{"role": "Trésorier"}]))
        .await;
    let (paul, _) = s
        .user_with_roles(&admin, "paul", json!([{"role": "Amapien"}]))
        .await;
    let bureau = s.group_with(&admin, "Bureau", &[&camille]).await;

    // The treasurer's role requires two-factor; Camille enrols (her code from pyotp).
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["Trésorier"]}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let e = s
        .post("/api/v1/account/mfa/totp", &camille_token, json!({}))
        .await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    let now = unix_now();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            &camille_token,
            json!({"code": pyotp_code(&secret, now)}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);

    // Two applications: A asks for consent; B is the organisation's own (trusted), open to the
    // Bureau alone.
    let a = register(&s, "a", free_port(), "Site de l'AMAP", false, &[]).await;
    let b_port = std::iter::repeat_with(free_port)
        .find(|p| *p != a.port)
        .expect("a second port");
    let b = register(&s, "b", b_port, "Nextcloud du bureau", true, &[&bureau]).await;
    let slug = s.app.org(None).await.expect("org").row.slug;
    let issuer = format!("{}/o/{slug}", s.base);
    let apps = json!({"a": a.base(), "b": b.base()});
    let clients = json!({"a": a.client_id});
    let apache = Apache::start(&issuer, &[a, b]);

    let dir = tempfile::tempdir().expect("dir");
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        json!({
            "sesame": s.base,
            "python": python(),
            "apps": apps,
            "password": USER_PASSWORD,
            "member": {"login": "camille", "totp_secret": secret, "last_step": now / 30},
            "outsider": {"login": "paul", "id": paul},
            "admin_token": admin,
            "issuer": issuer,
            "clients": clients,
        })
        .to_string(),
    )
    .expect("state");
    let apache = tokio::task::spawn_blocking(move || {
        run_browser(&state, &apache);
        apache
    })
    .await
    .expect("join");
    drop(apache);

    // Each application a session signed in to accepted its logout token at the first
    // attempt (mod_auth_openidc answered 2xx): Camille's first session (A and B), her second
    // (A), Paul's two (A, before and after he signed out of it).
    let mut conn = s.app.store.read().await.expect("conn");
    for (who, count) in [(&camille, 3), (&paul, 2)] {
        let logouts: Vec<(Option<String>, i64)> =
            sqlx::query_as("SELECT outcome, attempts FROM oidc_app_sessions WHERE user_id = $1")
                .bind(who)
                .fetch_all(&mut *conn)
                .await
                .expect("application sessions");
        assert_eq!(
            logouts,
            vec![(Some("sent".to_string()), 1); count],
            "back-channel logouts, each accepted at once"
        );
    }
    drop(conn);
    s.stop().await;
}

crate::on_every_database!(
    apache_mod_auth_openidc_signs_people_in_through_sesame,
    apache_signs_people_in
);
