//! Import history and undo (issue 23): every import is listed with who ran it and what it did;
//! an applied import is undone in one transaction — the people it created deleted, the people
//! it changed put back, the roles and memberships it gave taken back — leaving the database as
//! it was; what changed since is listed and left alone unless confirmed; the undo needs the
//! import's rights over every person it touches, happens once, and is audited once.

use crate::harness::{Answer, Db, Server, USER_PASSWORD};
use crate::on_every_database;
use crate::web_pages::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_core::Profile;
use sqlx::Row;

/// Users, role assignments, memberships, counts, search words and invitations, as sorted text
/// lines.
async fn dump(s: &Server) -> Vec<String> {
    let pool = s.app.store.pool();
    let mut out = Vec::new();
    let queries = [
        "SELECT 'user' AS t, id AS a, login AS b, COALESCE(email, '') AS c, \
         COALESCE(first_name, '') || '|' || COALESCE(last_name, '') || '|' || COALESCE(phone, '') || '|' || language \
         || '|' || COALESCE(address_line, '') || '|' || COALESCE(postal_code, '') || '|' || COALESCE(city, '') AS d, \
         status || '|' || search || '|' || CAST(updated_at AS TEXT) || '|' || COALESCE(password_hash, '') AS e FROM users",
        "SELECT 'role' AS t, user_id AS a, role_id AS b, group_id AS c, '' AS d, '' AS e FROM role_assignments",
        "SELECT 'member' AS t, user_id AS a, group_id AS b, '' AS c, '' AS d, '' AS e FROM memberships",
        "SELECT 'count' AS t, org_id AS a, status AS b, CAST(n AS TEXT) AS c, '' AS d, '' AS e FROM user_counts",
        "SELECT 'word' AS t, org_id AS a, word AS b, user_id AS c, status AS d, '' AS e FROM user_words",
        "SELECT 'invitation' AS t, user_id AS a, CAST(first_at AS TEXT) AS b, COALESCE(invited_by, '') AS c, \
         CAST(round_at AS TEXT) || '|' || CAST(last_at AS TEXT) AS d, last_message_id AS e FROM invitations",
    ];
    for q in queries {
        for r in sqlx::query(q).fetch_all(pool).await.expect("dump") {
            let cells: Vec<String> = ["t", "a", "b", "c", "d", "e"]
                .iter()
                .map(|c| r.get::<String, _>(*c))
                .collect();
            out.push(cells.join(" ; "));
        }
    }
    out.retain(|l| !l.starts_with("count ; ") || !l.ends_with(" ; 0 ;  ;  ; "));
    out.sort();
    out
}

async fn upload(s: &Server, token: &str, name: &'static str, csv: String) -> Answer {
    upload_with(s, token, name, csv, &[]).await
}

/// An upload with the form's other fields (`send_invitations`, …).
async fn upload_with(
    s: &Server,
    token: &str,
    name: &'static str,
    csv: String,
    fields: &[(&'static str, &'static str)],
) -> Answer {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name(name),
    );
    for (k, v) in fields {
        form = form.text(*k, *v);
    }
    let r = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    Answer::from(r).await
}

async fn user_id(s: &Server, admin: &str, email: &str) -> String {
    let list = s.get(&format!("/api/v1/users?q={email}"), admin).await;
    list.body["items"]
        .as_array()
        .and_then(|l| l.iter().find(|u| u["email"] == email))
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("no {email}: {}", list.body))
        .to_string()
}

/// Signs `id` in for the first time (a password set, then the sign-in).
async fn signs_in(s: &Server, id: &str, login: &str) {
    let org = s.app.org(None).await.expect("org");
    let who = s.app.operator(org);
    sesame_app::users::set_password(&s.app, &who, id, USER_PASSWORD.to_string().into())
        .await
        .expect("password");
    s.login(login, USER_PASSWORD).await;
}

async fn undo(s: &Server, token: &str, id: &str, body: Value) -> Answer {
    s.post(&format!("/api/v1/imports/{id}/undo"), token, body)
        .await
}

/// Imports two people, Inès and Ivan, invited (`invitee1@` and `invitee2@example.fr`): the
/// import's id.
async fn invite_two(s: &Server, admin: &str) -> String {
    let csv = "Courriel;Prénom;Nom;Rôles\ninvitee1@example.fr;Inès;Un;Amapien\ninvitee2@example.fr;Ivan;Deux;Amapien\n";
    let job = upload_with(
        s,
        admin,
        "invites.csv",
        csv.into(),
        &[("send_invitations", "true")],
    )
    .await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.body);
    assert_eq!(job.body["summary"]["created"], 2, "{}", job.body);
    job.body["id"].as_str().expect("id").to_string()
}

/// Someone who may import and give the members' roles, but is no administrator (so may not
/// import password hashes): their token.
async fn importer(s: &Server, admin: &str) -> String {
    let r = s
        .post(
            "/api/v1/roles",
            admin,
            json!({"name": "Importeur", "permissions": ["users.view", "users.create", "users.edit", "users.invite", "users.import", "roles.assign", "groups.manage", "email.signature"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    s.user_with_roles(admin, "importeur", json!([{"role": "Importeur"}]))
        .await
        .1
}

/// An import that invited the people it created is undone with their invitations: the
/// follow-up rows (`invitations`, `invitation_reminders`) go with them, nothing is left behind.
async fn invited_people_undone(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let id = invite_two(&s, &admin).await;
    let count = |table: &'static str| {
        let pool = s.app.store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table}"
            )))
            .fetch_one(&pool)
            .await
            .expect("count")
        }
    };
    assert_eq!(count("invitations").await, 2, "both invited");
    let done = undo(&s, &admin, &id, json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["deleted"], 2, "{}", done.body);
    assert_eq!(count("invitations").await, 0);
    assert_eq!(count("invitation_reminders").await, 0);
    let list = s.get("/api/v1/users?q=invitee", &admin).await;
    assert_eq!(list.body["items"], json!([]), "{}", list.body);
    s.stop().await;
}
on_every_database!(an_import_that_invited_is_undone, invited_people_undone);

/// A 1,000-row import (990 people created, 10 changed: a new first name, a role in a group
/// and its membership) undone: the database is as before, byte for byte.
async fn a_thousand_rows_undone(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let g = s
        .post("/api/v1/groups", &admin, json!({"name": "Ferme du Bec"}))
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    let importer = importer(&s, &admin).await;
    let mut existing = Vec::new();
    for i in 0..10 {
        let login = format!("ancien{i}");
        let (id, _) = s
            .user_with_roles(&admin, &login, json!([{"role": "Amapien"}]))
            .await;
        existing.push((login, id));
    }
    let before = dump(&s).await;

    let mut csv = String::from("Courriel;Prénom;Nom;Rôles;Groupes\n");
    for (login, _) in &existing {
        csv.push_str(&format!(
            "{login}@example.org;Changé;{login};Amapien, Référent producteur@Ferme du Bec;Ferme du Bec\n"
        ));
    }
    for i in 0..990 {
        let group = if i % 3 == 0 { "Ferme du Bec" } else { "" };
        csv.push_str(&format!(
            "nouveau{i}@example.fr;Prénom{i};Nom{i};Amapien;{group}\n"
        ));
    }
    let job = upload(&s, &importer, "membres.csv", csv).await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.body);
    assert_eq!(job.body["summary"]["created"], 990, "{}", job.body);
    assert_eq!(job.body["summary"]["updated"], 10, "{}", job.body);
    let id = job.body["id"].as_str().expect("id").to_string();

    // The history lists it: who, the file, the counts, and that it can be undone.
    let list = s.get("/api/v1/imports", &admin).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let entry = list
        .body
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == id.as_str()))
        .unwrap_or_else(|| panic!("listed: {}", list.body))
        .clone();
    assert_eq!(entry["by"], "importeur", "{entry}");
    assert_eq!(entry["file_name"], "membres.csv", "{entry}");
    assert_eq!(entry["created"], 990, "{entry}");
    assert_eq!(entry["people_changed"], 1000, "{entry}");
    assert_eq!(entry["undoable"], true, "{entry}");
    assert_eq!(entry["options"]["send_invitations"], false, "{entry}");

    // Since the import: one person it created signed in, a field it set was changed again,
    // and someone it created was made an administrator.
    let signed = user_id(&s, &admin, "nouveau1@example.fr").await;
    let signed_login = s.get(&format!("/api/v1/users/{signed}"), &admin).await.body["login"]
        .as_str()
        .expect("login")
        .to_string();
    signs_in(&s, &signed, &signed_login).await;
    let edited = &existing[3].1;
    let p = s
        .patch(
            &format!("/api/v1/users/{edited}"),
            &admin,
            json!({"first_name": "Encore"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let promoted = user_id(&s, &admin, "nouveau2@example.fr").await;
    let roles = s.get("/api/v1/roles", &admin).await;
    let admin_role = roles
        .body
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .max_by_key(|r| r["permissions"].as_array().map_or(0, Vec::len))
        })
        .and_then(|r| r["name"].as_str())
        .expect("admin role")
        .to_string();
    let p = s
        .patch(
            &format!("/api/v1/users/{promoted}"),
            &admin,
            json!({"roles": [{"role": admin_role}]}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);

    // The importer may not undo it now: one of the people is an administrator, whom they
    // could not have created. Nothing changes.
    let middle = dump(&s).await;
    let refused = undo(
        &s,
        &importer,
        &id,
        json!({"confirm": ["signed_in", "edited_since"]}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let refused = undo(&s, &importer, &id, json!({"dry_run": true})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(dump(&s).await, middle, "a refused undo writes nothing");

    // The preview lists what changed since, and what is left alone without confirmation.
    let preview = undo(&s, &admin, &id, json!({"dry_run": true})).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let b = &preview.body;
    assert_eq!(b["undone"], false, "{b}");
    assert_eq!(b["deleted"], 989, "{b}");
    assert_eq!(b["left_alone"], 1, "{b}");
    assert_eq!(b["restored"], 10, "{b}");
    assert_eq!(
        b["unconfirmed"],
        json!(["signed_in", "edited_since"]),
        "{b}"
    );
    let conflicts = b["conflicts"].as_array().expect("conflicts");
    assert!(
        conflicts
            .iter()
            .any(|c| c["kind"] == "signed_in" && c["user_id"] == signed.as_str()),
        "{b}"
    );
    assert!(
        conflicts.iter().any(|c| c["kind"] == "edited_since"
            && c["user_id"] == edited.as_str()
            && c["field"] == "first_name"
            && c["now"] == "Encore"),
        "{b}"
    );
    assert!(
        conflicts.iter().all(|c| c["message"]
            .as_str()
            .is_some_and(|m| m.contains(c["login"].as_str().unwrap_or("?")))),
        "{b}"
    );
    assert_eq!(dump(&s).await, middle, "a preview writes nothing");
    // An unknown kind to confirm is named.
    undo(&s, &admin, &id, json!({"confirm": ["tout"]}))
        .await
        .problem(422, "confirm", "import.undo_confirm_unknown");

    // Confirmed, everything goes back: the database is as before the import.
    let done = undo(
        &s,
        &admin,
        &id,
        json!({"confirm": ["signed_in", "edited_since"]}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["undone"], true, "{}", done.body);
    assert_eq!(done.body["deleted"], 990, "{}", done.body);
    assert_eq!(done.body["restored"], 10, "{}", done.body);
    let after = dump(&s).await;
    if after != before {
        let gone: Vec<_> = before
            .iter()
            .filter(|l| !after.contains(l))
            .take(5)
            .collect();
        let extra: Vec<_> = after
            .iter()
            .filter(|l| !before.contains(l))
            .take(5)
            .collect();
        panic!("not as before: missing {gone:#?}, extra {extra:#?}");
    }

    // Once only, audited once.
    undo(&s, &admin, &id, json!({}))
        .await
        .problem(409, "id", "import.already_undone");
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit WHERE action = 'users.import_undo'")
            .fetch_one(s.app.store.pool())
            .await
            .expect("audit")
            .get("n");
    assert_eq!(audited, 1);
    let list = s.get("/api/v1/imports", &admin).await;
    let entry = list
        .body
        .as_array()
        .and_then(|l| l.iter().find(|e| e["id"] == id.as_str()))
        .expect("still listed")
        .clone();
    assert_eq!(entry["undoable"], false, "{entry}");
    assert_eq!(entry["undone_by"], "admin", "{entry}");
    assert!(entry["undone_at"].is_string(), "{entry}");
    s.stop().await;
}
on_every_database!(
    a_thousand_row_import_undone_leaves_the_database_as_before,
    a_thousand_rows_undone
);

/// Without confirmation, what changed since is left as it is: the person who signed in stays
/// (with their roles), the field changed again keeps its value, the rest is undone. The CLI's
/// imports are listed too; a preview or a dry run cannot be undone.
async fn conflicts_left_alone(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (old, _) = s
        .user_with_roles(&admin, "ancienne", json!([{"role": "Amapien"}]))
        .await;
    let csv = "Courriel;Prénom;Nom;Ville;Rôles\n\
               ancienne@example.org;Test;ancienne;Lyon;Amapien\n\
               a@example.fr;Anne;Aubert;;Amapien\n\
               b@example.fr;Bruno;Bert;;Amapien\n\
               c@example.fr;Chloé;Cart;;Amapien\n"
        .to_string();
    let job = upload(&s, &admin, "trois.csv", csv).await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.body);
    let id = job.body["id"].as_str().expect("id").to_string();
    let b = user_id(&s, &admin, "b@example.fr").await;
    let b_login = s.get(&format!("/api/v1/users/{b}"), &admin).await.body["login"]
        .as_str()
        .expect("login")
        .to_string();
    signs_in(&s, &b, &b_login).await;
    let p = s
        .patch(
            &format!("/api/v1/users/{old}"),
            &admin,
            json!({"city": "Grenoble"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);

    let done = undo(&s, &admin, &id, json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["deleted"], 2, "{}", done.body);
    assert_eq!(done.body["left_alone"], 1, "{}", done.body);
    assert_eq!(
        done.body["unconfirmed"],
        json!(["signed_in", "edited_since"]),
        "{}",
        done.body
    );
    let kept = s.get(&format!("/api/v1/users/{b}"), &admin).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(
        kept.body["roles"].as_array().map(Vec::len),
        Some(1),
        "{}",
        kept.body
    );
    let old_now = s.get(&format!("/api/v1/users/{old}"), &admin).await;
    assert_eq!(old_now.body["city"], "Grenoble", "{}", old_now.body);
    for gone in ["a@example.fr", "c@example.fr"] {
        let list = s.get(&format!("/api/v1/users?q={gone}"), &admin).await;
        assert!(
            !list.body.to_string().contains(gone),
            "{gone} deleted: {}",
            list.body
        );
    }

    // A preview (dry run) is listed but cannot be undone.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"Courriel;Prenom;Nom\nd@example.fr;D;D\n".to_vec())
                .file_name("essai.csv"),
        )
        .text("dry_run", "true");
    let r = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let trial = Answer::from(r).await;
    assert_eq!(trial.status, StatusCode::OK, "{}", trial.body);
    let trial_id = trial.body["id"].as_str().expect("id");
    undo(&s, &admin, trial_id, json!({"dry_run": true}))
        .await
        .problem(409, "id", "import.not_undoable");
    undo(&s, &admin, "nope", json!({}))
        .await
        .problem(404, "", "notfound.import");

    // An import at the command line is listed, by the operator.
    let org = s.app.org(None).await.expect("org");
    let operator = s.app.operator(org);
    let sheet = sesame_sheet::open_bytes(
        b"Courriel;Prenom;Nom\ne@example.fr;Emma;Eude\n".to_vec(),
        "cli.csv",
        &sesame_app::import::files::SHEET_NAMES,
        &sesame_sheet::Limits::default(),
    );
    let opts = sesame_app::import::Options {
        file_name: "cli.csv".into(),
        ..Default::default()
    };
    let outcome =
        sesame_app::import::history::import_here(&s.app, &operator, sheet, &opts, &|_| {})
            .await
            .expect("cli import");
    assert!(outcome.summary.applied);
    let list = s.get("/api/v1/imports", &admin).await;
    let cli = list
        .body
        .as_array()
        .and_then(|l| l.iter().find(|e| e["file_name"] == "cli.csv"))
        .unwrap_or_else(|| panic!("cli import listed: {}", list.body))
        .clone();
    assert_eq!(cli["by"], "cli", "{cli}");
    assert_eq!(cli["origin"], "cli", "{cli}");
    assert_eq!(cli["state"], "done", "{cli}");
    assert_eq!(cli["undoable"], true, "{cli}");
    assert_eq!(list.body.as_array().map(Vec::len), Some(3), "{}", list.body);

    // The pages: the import page links to the history, which lists the imports and offers
    // the undo of the one that can be; its preview, then the undo, in French.
    let cli_id = cli["id"].as_str().expect("id").to_string();
    let browser = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (status, html) = browser.get("/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/imports\""), "{html}");
    let (status, html) = browser.get("/imports").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("trois.csv") && html.contains("cli.csv"),
        "{html}"
    );
    assert!(html.contains("Annulé"), "{html}");
    assert!(html.contains(&format!("/imports/{cli_id}/undo")), "{html}");
    assert!(
        !html.contains(&format!("/imports/{id}/undo")),
        "undone once: {html}"
    );
    let (status, html) = browser.get(&format!("/imports/{cli_id}/undo")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("aperçu : rien n&#39;est encore changé")
            || html.contains("aperçu : rien n&#x27;est encore changé"),
        "{html}"
    );
    assert!(html.contains("supprimées : 1"), "{html}");
    let (status, html) = browser
        .post(
            &format!("/imports/{cli_id}/undo"),
            &[("csrf", crate::web_pages::CSRF)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"undo-done\""), "{html}");
    let list = s.get("/api/v1/users?q=e@example.fr", &admin).await;
    assert!(
        !list.body.to_string().contains("e@example.fr"),
        "{}",
        list.body
    );
    let (_, html) = browser.get(&format!("/imports/{cli_id}/undo")).await;
    assert!(html.contains("id=\"undo-impossible\""), "{html}");
    s.stop().await;
}
on_every_database!(
    what_changed_since_is_left_alone_unless_confirmed,
    conflicts_left_alone
);

/// A WordPress export that made two invited people active with their passwords is undone:
/// both invited again, the imported passwords gone, their invitations as they were. One of
/// them signed in since with that password: listed, left active unless confirmed, and once
/// confirmed signed out. Taking back an imported password needs the right to import them
/// (administrators): an importer without it is refused.
async fn activations_undone(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let importer = importer(&s, &admin).await;
    invite_two(&s, &admin).await;
    let ines = user_id(&s, &admin, "invitee1@example.fr").await;
    let ivan = user_id(&s, &admin, "invitee2@example.fr").await;
    let login = |id: String| {
        let s = &s;
        let admin = &admin;
        async move {
            s.get(&format!("/api/v1/users/{id}"), admin).await.body["login"]
                .as_str()
                .expect("login")
                .to_string()
        }
    };
    let (ines_login, ivan_login) = (login(ines.clone()).await, login(ivan.clone()).await);
    let before = dump(&s).await;
    assert_eq!(
        before
            .iter()
            .filter(|l| l.starts_with("invitation ; "))
            .count(),
        2,
        "{before:#?}"
    );

    let password = "Confiture de groseilles 2021";
    let (_, phpass) = crate::wordpress::legacy_hashes(password).remove(0);
    let csv = format!(
        "user_login,user_email,roles,user_pass\n\
         {ines_login},invitee1@example.fr,subscriber,{phpass}\n\
         {ivan_login},invitee2@example.fr,subscriber,{phpass}\n"
    );
    let job = upload(&s, &admin, "wp-users.csv", csv).await;
    assert_eq!(job.status, StatusCode::OK, "{}", job.body);
    assert_eq!(job.body["summary"]["updated"], 2, "{}", job.body);
    assert_eq!(job.body["summary"]["password_hashes"], 2, "{}", job.body);
    let id = job.body["id"].as_str().expect("id").to_string();
    for who in [&ines, &ivan] {
        let u = s.get(&format!("/api/v1/users/{who}"), &admin).await;
        assert_eq!(u.body["status"], "active", "{}", u.body);
    }
    // Ivan signs in with the password he knows (and is re-hashed).
    s.login(&ivan_login, password).await;

    // The importer may not take back passwords they could not have imported.
    let middle = dump(&s).await;
    let refused = undo(&s, &importer, &id, json!({"confirm": ["signed_in"]})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(dump(&s).await, middle, "a refused undo writes nothing");

    // The preview: Inès invited again; Ivan, who signed in, left active unless confirmed.
    let preview = undo(&s, &admin, &id, json!({"dry_run": true})).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let b = &preview.body;
    assert_eq!(b["invited_again"], 1, "{b}");
    assert_eq!(b["left_alone"], 1, "{b}");
    assert_eq!(b["unconfirmed"], json!(["signed_in"]), "{b}");
    let conflicts = b["conflicts"].as_array().expect("conflicts");
    assert!(
        conflicts.iter().any(|c| c["kind"] == "signed_in"
            && c["user_id"] == ivan.as_str()
            && c["message"]
                .as_str()
                .is_some_and(|m| m.contains(&ivan_login) && m.contains("mot de passe"))),
        "{b}"
    );
    assert_eq!(dump(&s).await, middle, "a preview writes nothing");

    // Confirmed: both invited again, as before the import (their invitations too).
    let done = undo(&s, &admin, &id, json!({"confirm": ["signed_in"]})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["invited_again"], 2, "{}", done.body);
    assert_eq!(done.body["restored"], 2, "{}", done.body);
    let after = dump(&s).await;
    if after != before {
        let gone: Vec<_> = before.iter().filter(|l| !after.contains(l)).collect();
        let extra: Vec<_> = after.iter().filter(|l| !before.contains(l)).collect();
        panic!("not as before: missing {gone:#?}, extra {extra:#?}");
    }
    let live: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM tokens WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(&ivan)
            .fetch_one(s.app.store.pool())
            .await
            .expect("tokens")
            .get("n");
    assert_eq!(live, 0, "Ivan's session ended with the password");
    s.sign_in(&ivan_login, password, None)
        .await
        .problem(401, "", "auth.failed");
    let audited = s
        .get("/api/v1/audit?action=users.import_undo", &admin)
        .await;
    assert!(
        audited.body.to_string().contains("\"invited_again\":2"),
        "{}",
        audited.body
    );
    s.stop().await;
}
on_every_database!(
    an_import_of_passwords_that_activated_invited_people_is_undone,
    activations_undone
);
