//! An administrator registers the organisation's applications (OpenID Connect clients) through
//! the API and the command line: a confidential client's secret is shown once and kept only as
//! its hash, renewed on demand; a public one has none. Wrong addresses are named field by
//! field, in French and in English; someone without `apps.manage` and another organisation's
//! administrator see nothing; every change is in the audit log, never a secret. Members see
//! the applications open to them as tiles.

use crate::cli::sesame;
use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;
use sqlx::Row;

/// Lowercase hex SHA-256, as the secret is stored.
fn sha256_hex(s: &str) -> String {
    sesame_app::secret::hash(s)
}

/// The stored secret hash of application `id`, and every stored text of the table, joined.
async fn stored(s: &Server, id: &str) -> (Option<String>, String) {
    let pool = s.app.store.pool();
    let rows = sqlx::query(
        "SELECT id, name, secret_hash, redirect_uris, post_logout_uris, forward_auth_hosts FROM apps",
    )
    .fetch_all(pool)
    .await
    .expect("apps");
    let mut all = String::new();
    let mut hash = None;
    for r in &rows {
        let h: Option<String> = r.get("secret_hash");
        if r.get::<String, _>("id") == id {
            hash = h.clone();
        }
        all.push_str(&format!(
            "{} {} {} {}\n",
            r.get::<String, _>("name"),
            h.unwrap_or_default(),
            r.get::<String, _>("redirect_uris"),
            r.get::<String, _>("post_logout_uris")
        ));
    }
    let audit = sqlx::query("SELECT before_json, after_json FROM audit")
        .fetch_all(pool)
        .await
        .expect("audit");
    for r in &audit {
        all.push_str(
            &r.get::<Option<String>, _>("before_json")
                .unwrap_or_default(),
        );
        all.push_str(&r.get::<Option<String>, _>("after_json").unwrap_or_default());
    }
    (hash, all)
}

async fn org_id(s: &Server, slug: Option<&str>) -> String {
    s.app.org(slug).await.expect("org").id().to_string()
}

async fn client(s: &Server, org: &str, id: &str) -> sesame_app::apps::Client {
    sesame_app::apps::find_client(&s.app, org, id)
        .await
        .expect("find")
        .expect("the client")
}

async fn api_story(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let org = org_id(&s, None).await;
    let g = s
        .post("/api/v1/groups", &admin, json!({"name": "Producteurs"}))
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    let group_id = g.body["id"].as_str().unwrap().to_string();

    // A confidential client: its secret once, stored as its hash only.
    let a = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({
                "name": "Nextcloud",
                "redirect_uris": ["https://cloud.example.org/apps/user_oidc/code"],
                "post_logout_uris": ["https://cloud.example.org/"],
                "backchannel_logout_uri": "http://127.0.0.1:9/logout",
                "launch_url": "https://cloud.example.org/",
                "groups": ["Producteurs"],
                "trusted": true,
            }),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["client_id"].as_str().expect("client_id").to_string();
    assert_eq!(id.len(), 22, "{id}");
    let secret = a.body["client_secret"]
        .as_str()
        .expect("secret")
        .to_string();
    assert!(secret.len() >= 43, "{secret}");
    assert_eq!(a.body["public"], false);
    assert_eq!(a.body["has_secret"], true);
    assert_eq!(a.body["groups"], json!(["Producteurs"]));
    assert_eq!(a.body["id_token_alg"], "RS256");
    assert_eq!(a.body["access_token_lifetime_s"], 3600);
    assert_eq!(a.body["refresh_token_lifetime_s"], 2_592_000);
    let (hash, all) = stored(&s, &id).await;
    assert_eq!(hash.as_deref(), Some(sha256_hex(&secret).as_str()));
    assert!(!all.contains(&secret), "the secret is stored nowhere");
    // Read again, it has no secret.
    let one = s.get(&format!("/api/v1/apps/{id}"), &admin).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert!(one.body.get("client_secret").is_none(), "{}", one.body);
    assert!(!one.body.to_string().contains(&secret));
    let by_name = s.get("/api/v1/apps/nextcloud", &admin).await;
    assert_eq!(by_name.body["client_id"], id.as_str());
    let c = client(&s, &org, &id).await;
    assert!(c.check_secret(&secret));
    assert!(!c.check_secret("scs_not-the-secret"));
    assert!(c.trusted && !c.public);
    assert_eq!(c.groups, std::slice::from_ref(&group_id));
    assert!(c.redirect_allowed("https://cloud.example.org/apps/user_oidc/code"));
    assert!(c.post_logout_allowed("https://cloud.example.org/"));

    // A public client: a custom scheme and a loopback redirect, no secret.
    let p = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({
                "name": "Amisgest mobile",
                "public": true,
                "redirect_uris": ["fr.amisgest.app:/callback", "http://127.0.0.1/callback"],
                "launch_url": "https://amisgest.example.org/",
                "id_token_alg": "EdDSA",
                "access_token_lifetime_s": 600,
                "forward_auth_hosts": ["Wiki.Example.org"],
            }),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    assert!(p.body.get("client_secret").is_none(), "{}", p.body);
    assert_eq!(p.body["has_secret"], false);
    let pid = p.body["client_id"].as_str().unwrap().to_string();
    assert_eq!(stored(&s, &pid).await.0, None);
    let pc = client(&s, &org, &pid).await;
    assert!(pc.redirect_allowed("http://127.0.0.1:51234/callback"));
    assert!(pc.redirect_allowed("fr.amisgest.app:/callback"));
    assert!(!pc.check_secret(""));
    assert_eq!(pc.id_token_alg, "EdDSA");
    let by_host = sesame_app::apps::client_for_host(&s.app, &org, "wiki.example.org:443")
        .await
        .expect("host")
        .expect("the wiki's app");
    assert_eq!(by_host.id, pid);
    assert!(
        sesame_app::apps::client_for_host(&s.app, &org, "other.example.org")
            .await
            .expect("host")
            .is_none()
    );

    // Wrong values, each on its field, in French and in English.
    let bad = json!({
        "name": "  ",
        "redirect_uris": ["http://cloud.example.org/cb", "https://cloud.example.org/cb#x", "fr.amisgest.app:/cb"],
        "post_logout_uris": ["cloud.example.org"],
        "backchannel_logout_uri": "http://cloud.example.org/logout",
        "groups": ["Inconnus"],
        "access_token_lifetime_s": 10,
        "refresh_token_lifetime_s": 40_000_000,
        "id_token_alg": "HS256",
        "forward_auth_hosts": ["https://wiki.example.org/"],
    });
    for (lang, words) in [
        ("fr", ["Adresses de redirection", "https://", "Inconnus"]),
        ("en", ["Redirect addresses", "https://", "Inconnus"]),
    ] {
        let r = s
            .call_lang(
                Method::POST,
                "/api/v1/apps",
                Some(&admin),
                Some(bad.clone()),
                Some(lang),
            )
            .await;
        r.problem(422, "name", "label.empty");
        let m = r.problem(422, "redirect_uris[0]", "app.uri_not_https");
        assert!(m.contains(words[0]) && m.contains(words[1]), "{lang}: {m}");
        r.problem(422, "redirect_uris[1]", "app.uri_fragment");
        r.problem(422, "redirect_uris[2]", "app.uri_custom_confidential");
        r.problem(422, "post_logout_uris[0]", "app.uri_invalid");
        r.problem(422, "backchannel_logout_uri", "app.uri_not_https");
        let m = r.problem(422, "groups[0]", "app.group_unknown");
        assert!(m.contains(words[2]), "{lang}: {m}");
        r.problem(422, "access_token_lifetime_s", "app.lifetime_range");
        r.problem(422, "refresh_token_lifetime_s", "app.lifetime_range");
        r.problem(422, "id_token_alg", "app.alg_unknown");
        r.problem(422, "forward_auth_hosts[0]", "app.host_invalid");
    }
    let r = s
        .post("/api/v1/apps", &admin, json!({"name": "Sans adresse"}))
        .await;
    r.problem(422, "redirect_uris", "app.redirect_required");
    let r = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({"redirect_uris": ["https://a.example.org/cb"]}),
        )
        .await;
    r.problem(422, "name", "field.required");
    let r = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({"name": "NEXTCLOUD", "redirect_uris": ["https://a.example.org/cb"]}),
        )
        .await;
    r.problem(409, "name", "name.taken");
    let r = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({"name": "X", "redirect_uris": ["https://a.example.org/cb"], "colour": "red"}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);

    // Changes: a field at a time; the secret is kept.
    let u = s
        .patch(
            &format!("/api/v1/apps/{id}"),
            &admin,
            json!({"name": "Nuage", "refresh_token_lifetime_s": 86_400, "groups": []}),
        )
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    assert_eq!(u.body["name"], "Nuage");
    assert_eq!(u.body["groups"], json!([]));
    assert_eq!(
        u.body["redirect_uris"],
        json!(["https://cloud.example.org/apps/user_oidc/code"])
    );
    assert!(u.body.get("client_secret").is_none());
    assert!(client(&s, &org, &id).await.check_secret(&secret));
    // A confidential client may not keep a custom scheme.
    let r = s
        .patch(
            &format!("/api/v1/apps/{pid}"),
            &admin,
            json!({"public": false}),
        )
        .await;
    r.problem(422, "redirect_uris[0]", "app.uri_custom_confidential");

    // Rotation: the new secret once, the old one ends.
    let r = s
        .call(
            Method::POST,
            &format!("/api/v1/apps/{id}/secret"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new_secret = r.body["client_secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    let c = client(&s, &org, &id).await;
    assert!(c.check_secret(&new_secret) && !c.check_secret(&secret));
    let r = s
        .call(
            Method::POST,
            &format!("/api/v1/apps/{pid}/secret"),
            Some(&admin),
            None,
        )
        .await;
    r.problem(409, "public", "app.public_no_secret");

    // Tiles and who may use what.
    let (member, _) = s
        .user_with_roles(&admin, "marie", json!([{"role": "Amapien"}]))
        .await;
    let tiles = sesame_app::apps::tiles(&s.app, &org, &member)
        .await
        .expect("tiles");
    let names: Vec<&str> = tiles.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Amisgest mobile", "Nuage"], "no groups: everyone");
    assert_eq!(tiles[1].initial, "N");
    assert_eq!(tiles[1].launch_url, "https://cloud.example.org/");
    s.patch(
        &format!("/api/v1/apps/{id}"),
        &admin,
        json!({"groups": [group_id]}),
    )
    .await;
    let c = client(&s, &org, &id).await;
    assert!(
        !sesame_app::apps::may_use(&s.app, &c, &member)
            .await
            .unwrap()
    );
    let tiles = sesame_app::apps::tiles(&s.app, &org, &member)
        .await
        .unwrap();
    assert_eq!(tiles.len(), 1, "only the app open to all");
    s.call(
        Method::PUT,
        &format!("/api/v1/groups/{group_id}/members/{member}"),
        Some(&admin),
        None,
    )
    .await;
    assert!(
        sesame_app::apps::may_use(&s.app, &c, &member)
            .await
            .unwrap()
    );
    assert_eq!(
        sesame_app::apps::tiles(&s.app, &org, &member)
            .await
            .unwrap()
            .len(),
        2
    );
    s.post(
        &format!("/api/v1/users/{member}/disable"),
        &admin,
        json!({}),
    )
    .await;
    assert!(
        !sesame_app::apps::may_use(&s.app, &c, &member)
            .await
            .unwrap()
    );
    assert!(
        sesame_app::apps::tiles(&s.app, &org, &member)
            .await
            .unwrap()
            .is_empty()
    );

    // Someone without apps.manage: refused.
    let (paul, coordinator) = s
        .user_with_roles(&admin, "paul", json!([{"role": "Coordinateur"}]))
        .await;
    for (m, path, body) in [
        (Method::GET, "/api/v1/apps".to_string(), None),
        (Method::GET, format!("/api/v1/apps/{id}"), None),
        (
            Method::POST,
            "/api/v1/apps".to_string(),
            Some(json!({"name": "Pirate", "redirect_uris": ["https://p.example.org/cb"]})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/apps/{id}"),
            Some(json!({"name": "Pirate"})),
        ),
        (Method::POST, format!("/api/v1/apps/{id}/secret"), None),
        (Method::DELETE, format!("/api/v1/apps/{id}"), None),
    ] {
        let r = s.call(m.clone(), &path, Some(&coordinator), body).await;
        r.problem(403, "", "permission.missing");
    }

    // Deleting its only group closes the application; it does not open it to everyone.
    s.call(
        Method::PUT,
        &format!("/api/v1/groups/{group_id}/members/{paul}"),
        Some(&admin),
        None,
    )
    .await;
    assert!(sesame_app::apps::may_use(&s.app, &c, &paul).await.unwrap());
    let r = s
        .delete(&format!("/api/v1/groups/{group_id}"), &admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let c = client(&s, &org, &id).await;
    assert!(c.groups.is_empty());
    assert!(!sesame_app::apps::may_use(&s.app, &c, &paul).await.unwrap());
    let v = s.get(&format!("/api/v1/apps/{id}"), &admin).await;
    assert_eq!(
        (&v.body["groups"], &v.body["restricted"]),
        (&json!([]), &json!(true))
    );
    let tiles = sesame_app::apps::tiles(&s.app, &org, &paul).await.unwrap();
    assert_eq!(tiles.len(), 1, "only the application open to all");

    // Another organisation's administrator sees nothing of it.
    s.add_lucioles().await;
    let other = s
        .call(
            Method::POST,
            "/api/v1/auth/login?org=lucioles",
            None,
            Some(json!({"login": "admin", "password": ADMIN_PASSWORD})),
        )
        .await;
    let other = other.body["token"].as_str().expect("token").to_string();
    let list = s.get("/api/v1/apps", &other).await;
    assert_eq!(list.body, json!([]));
    for (m, path) in [
        (Method::GET, format!("/api/v1/apps/{id}")),
        (Method::PATCH, format!("/api/v1/apps/{id}")),
        (Method::POST, format!("/api/v1/apps/{id}/secret")),
        (Method::DELETE, format!("/api/v1/apps/{id}")),
    ] {
        let body = (m == Method::PATCH).then(|| json!({"name": "Volé"}));
        let r = s.call(m, &path, Some(&other), body).await;
        r.problem(404, "", "notfound.app");
    }
    let lucioles = org_id(&s, Some("lucioles")).await;
    assert!(
        sesame_app::apps::find_client(&s.app, &lucioles, &id)
            .await
            .unwrap()
            .is_none()
    );

    // Deleting: gone, and every change audited without a secret.
    let r = s.delete(&format!("/api/v1/apps/{id}"), &admin).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = s.get(&format!("/api/v1/apps/{id}"), &admin).await;
    r.problem(404, "", "notfound.app");
    assert!(
        sesame_app::apps::find_client(&s.app, &org, &id)
            .await
            .unwrap()
            .is_none()
    );
    let log = s.get(&format!("/api/v1/audit?target={id}"), &admin).await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items: {}", log.body))
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "app.delete",
            "app.update",
            "app.secret_rotate",
            "app.update",
            "app.create"
        ]
    );
    let (_, all) = stored(&s, &id).await;
    assert!(!all.contains(&secret) && !all.contains(&new_secret));
    assert!(
        !all.contains(&sha256_hex(&new_secret)),
        "nor its hash in the log"
    );
    s.stop().await;
}
on_every_database!(an_administrator_registers_applications, api_story);

fn run_json(r: &crate::cli::Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}{}", r.stdout, r.stderr))
}

async fn cli_story(db: &Db) {
    let s = Server::start(db).await;
    s.init(Profile::Amap).await;
    let r = sesame(
        db,
        "fr",
        &[
            "app",
            "add",
            "--name",
            "WordPress",
            "--redirect-uri",
            "https://amap.example.org/wp-admin/admin-ajax.php?action=openid-connect-authorize",
            "--post-logout-uri",
            "https://amap.example.org/",
            "--launch-url",
            "https://amap.example.org/",
            "--trusted",
            "--json",
        ],
    );
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let v = run_json(&r);
    let id = v["client_id"].as_str().expect("client_id").to_string();
    let secret = v["client_secret"].as_str().expect("secret").to_string();
    assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    let (hash, _) = stored(&s, &id).await;
    assert_eq!(hash, Some(sha256_hex(&secret)));

    let r = sesame(
        db,
        "en",
        &[
            "app",
            "add",
            "--name",
            "Amisgest mobile",
            "--public",
            "--redirect-uri",
            "fr.amisgest.app:/callback",
            "--id-token-alg",
            "EdDSA",
        ],
    );
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("client_id: "), "{}", r.stdout);
    assert!(!r.stdout.contains("client_secret"), "{}", r.stdout);

    // Errors name their field, in the operator's language.
    let r = sesame(db, "fr", &["app", "add", "--name", "Sans adresse"]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("Adresses de redirection"), "{}", r.stderr);
    let r = sesame(
        db,
        "en",
        &[
            "app",
            "add",
            "--name",
            "Intranet",
            "--redirect-uri",
            "http://intranet.example.org/cb",
        ],
    );
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("Redirect addresses") && r.stderr.contains("https://"),
        "{}",
        r.stderr
    );

    let r = sesame(db, "fr", &["app", "list", "--json"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let list = run_json(&r);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!r.stdout.contains(&secret));
    let r = sesame(db, "fr", &["app", "list"]);
    assert!(
        r.stdout.contains("WordPress") && r.stdout.contains(&id),
        "{}",
        r.stdout
    );
    let r = sesame(db, "fr", &["app", "show", "wordpress"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("https://amap.example.org/"),
        "{}",
        r.stdout
    );

    let r = sesame(db, "fr", &["app", "rotate-secret", &id, "--json"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let new_secret = run_json(&r)["client_secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    let org = org_id(&s, None).await;
    assert!(client(&s, &org, &id).await.check_secret(&new_secret));
    let r = sesame(db, "fr", &["app", "rotate-secret", "Amisgest mobile"]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("publique"), "{}", r.stderr);

    let r = sesame(db, "fr", &["app", "remove", "WordPress"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = sesame(db, "fr", &["app", "show", &id]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("introuvable"), "{}", r.stderr);
    s.stop().await;
}
on_every_database!(
    the_operator_registers_applications_at_the_command_line,
    cli_story
);

/// Existing administrators keep every permission: migration 0020 gives `apps.manage` to the
/// roles that held all the others.
async fn migration_story(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let pool = s.app.store.pool();
    // As a database from before the migration would hold them.
    let roles = sqlx::query("SELECT id, permissions FROM roles")
        .fetch_all(pool)
        .await
        .unwrap();
    for r in &roles {
        let p: String = r.get("permissions");
        sqlx::query("UPDATE roles SET permissions = $1 WHERE id = $2")
            .bind(p.replace("apps.manage", "").trim().to_string())
            .bind(r.get::<String, _>("id"))
            .execute(pool)
            .await
            .unwrap();
    }
    let sql = include_str!("../../crates/store/migrations/0020_apps.sql");
    let update = &sql[sql.find("UPDATE roles").expect("the update")..];
    sqlx::query(sqlx::AssertSqlSafe(update.to_string()))
        .execute(pool)
        .await
        .expect("the migration's update");
    let after = sqlx::query("SELECT preset_key, permissions FROM roles")
        .fetch_all(pool)
        .await
        .unwrap();
    for r in &after {
        let key: Option<String> = r.get("preset_key");
        let p: String = r.get("permissions");
        assert_eq!(
            p.contains("apps.manage"),
            key.as_deref() == Some("admin"),
            "{key:?}: {p}"
        );
    }
    let r = s.get("/api/v1/apps", &admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    s.stop().await;
}
on_every_database!(
    existing_administrators_may_manage_applications,
    migration_story
);

/// The text between `start` and the next `end` after it.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"))
        + start.len();
    &html[at..at + html[at..].find(end).expect("end")]
}

/// The administrator's pages: register (errors on their fields, in French), see the secret
/// once, renew it, delete with confirmation; members see their tiles on the home page.
async fn pages_story(db: &Db) {
    use crate::web_pages::Browser;
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let org = org_id(&s, None).await;
    let b = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let (status, html) = b.get("/apps").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"href="/apps""#) && html.contains("Aucune application"),
        "{html}"
    );
    let (status, html) = b.get("/apps/new").await;
    assert_eq!(status, StatusCode::OK);
    let once = between(&html, r#"name="once" value=""#, "\"").to_string();

    let (status, html) = b
        .post(
            "/apps/new",
            &[
                ("csrf", crate::web_pages::CSRF),
                ("once", &once),
                ("name", "Nextcloud"),
                (
                    "redirect_uris",
                    "https://cloud.example.org/cb\nhttp://cloud.example.org/cb",
                ),
                ("access_token_lifetime_s", "beaucoup"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r#"id="access_token_lifetime_s-error""#),
        "{html}"
    );
    assert!(html.contains("Durée du jeton d’accès"), "{html}");
    assert!(
        html.contains("http://cloud.example.org/cb"),
        "what was typed stays"
    );
    let (status, html) = b
        .post(
            "/apps/new",
            &[
                ("csrf", crate::web_pages::CSRF),
                ("once", &once),
                ("name", "Nextcloud"),
                (
                    "redirect_uris",
                    "https://cloud.example.org/cb\nhttp://cloud.example.org/cb",
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let error = between(&html, r#"id="redirect_uris-error">"#, "<");
    assert!(error.contains("doit commencer par https://"), "{error}");

    let (status, html) = b
        .post(
            "/apps/new",
            &[
                ("csrf", crate::web_pages::CSRF),
                ("once", &once),
                ("name", "Nextcloud"),
                ("redirect_uris", "https://cloud.example.org/cb\n\n"),
                ("launch_url", "https://cloud.example.org/"),
                ("trusted", "on"),
                ("access_token_lifetime_s", "3600"),
                ("refresh_token_lifetime_s", "2592000"),
                ("id_token_alg", "RS256"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{html}");
    let id = between(&html, r#"<code id="client-id">"#, "<").to_string();
    let secret = between(&html, r#"id="client-secret" readonly value=""#, "\"").to_string();
    assert!(client(&s, &org, &id).await.check_secret(&secret));
    let (_, html) = b.get(&format!("/apps/{id}")).await;
    assert!(!html.contains(&secret), "shown once");
    assert!(html.contains(r#"id="trusted" checked"#), "{html}");

    // « Only these groups » needs a group ticked: never taken for « every member ».
    let (status, html) = b
        .post(
            &format!("/apps/{id}/save"),
            &[
                ("csrf", crate::web_pages::CSRF),
                ("name", "Nextcloud"),
                ("redirect_uris", "https://cloud.example.org/cb"),
                ("access", "groups"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let error = between(&html, r#"id="groups-error">"#, "<");
    assert!(error.contains("cochez au moins un groupe"), "{error}");
    assert!(
        html.contains(r#"id="access-groups" checked"#),
        "what was chosen stays"
    );

    // Renewing shows the new one, once.
    let (status, html) = b
        .post(
            &format!("/apps/{id}/secret"),
            &[("csrf", crate::web_pages::CSRF)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let new_secret = between(&html, r#"id="client-secret" readonly value=""#, "\"").to_string();
    assert_ne!(new_secret, secret);
    assert!(client(&s, &org, &id).await.check_secret(&new_secret));

    // A member's home page shows the tile; without tiles it leads on as before.
    s.user_with_roles(&admin, "marie", json!([{"role": "Amapien"}]))
        .await;
    let m = Browser::signed_in(&s, "marie", crate::harness::USER_PASSWORD).await;
    let (status, html) = m.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mes applications"), "{html}");
    assert!(
        html.contains(r#"<a class="tile" href="https://cloud.example.org/">"#),
        "{html}"
    );
    assert!(
        !html.contains(r#"href="/apps""#),
        "no admin entry for a member"
    );
    let (status, _) = m.get("/apps").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Deleting needs the box ticked.
    let (status, html) = b
        .post(
            &format!("/apps/{id}/delete"),
            &[("csrf", crate::web_pages::CSRF)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r#"id="confirm-error""#), "{html}");
    let (status, _) = b
        .post(
            &format!("/apps/{id}/delete"),
            &[("csrf", crate::web_pages::CSRF), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = b.get("/apps?done=app-deleted").await;
    assert!(html.contains("L’application est supprimée"), "{html}");
    let (status, _) = m.get("/").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the member's own page, once redirected"
    );
    s.stop().await;
}
on_every_database!(
    an_administrator_manages_applications_in_the_pages,
    pages_story
);
