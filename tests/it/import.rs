//! Importing members from spreadsheets: the preview, all-or-nothing application, the fix-and-
//! retry error file, matching and updating existing users, delegation, invitations, and the
//! export → edit → import round trip. Files are real files on disk, read by `sesame-sheet`.

use crate::harness::{Db, Server, SmtpSink};
use crate::on_every_database;
use serde_json::json;
use sesame_app::import::{self, Action, Options, files};
use sesame_core::{Language, Profile};
use sesame_sheet::{Format, Limits};
use std::path::Path;

/// Imports `path` as the operator (or `who`), in French.
async fn run(
    s: &Server,
    who: Option<&sesame_app::Principal>,
    path: &Path,
    opts: Options,
) -> import::Outcome {
    let operator;
    let who = match who {
        Some(w) => w,
        None => {
            operator = s.app.operator(s.app.org(None).await.expect("org"));
            &operator
        }
    };
    let sheet = sesame_sheet::open(path, &files::SHEET_NAMES, &Limits::default());
    let opts = Options {
        language: Some(Language::Fr),
        ..opts
    };
    import::import(&s.app, who, sheet, &opts, &|_| {})
        .await
        .expect("import")
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

async fn count_users(s: &Server) -> usize {
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    sesame_store::users::all(&mut conn, org.id())
        .await
        .expect("users")
        .len()
}

async fn preview_then_all_or_nothing_then_fix_and_retry(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let group = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "Ferme du Bec", "kind": "producteur"}),
        )
        .await;
    assert_eq!(group.status, reqwest::StatusCode::CREATED, "{}", group.body);
    let dir = tempfile::tempdir().expect("dir");
    // As French Excel users write it: semicolons, accents, national phone formats, a blank
    // row in the middle, mixed-case e-mails with spaces, and mistakes.
    let file = write(
        dir.path(),
        "membres.csv",
        "Identifiant;Courriel;Prénom;Nom;Téléphone;Rôles;Groupes\n\
         ;  Zoe.Lefevre@Example.FR ;Zoé;Lefèvre;06 12 34 56 78;Amapien;\n\
         ;jean-etienne@example.fr;Jean-Étienne;D'Aubigné;;Référent producteur@Ferme du Bec;Ferme du Bec\n\
         ;;;;;;\n\
         ;pas-une-adresse;Paul;Roy;;;\n\
         ;marie@example.fr;Marie;Curie;;Trésorière;\n\
         ;zoe.lefevre@example.fr;Zoé;Autre;;;\n\
         ;admin@example.org;;;;;\n",
    );

    // The preview: what would happen, row by row, with each error where the sheet shows it.
    let preview = run(
        &s,
        None,
        &file,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    let p = &preview.summary;
    assert_eq!(
        (p.created, p.updated, p.unchanged, p.invalid),
        (2, 0, 1, 3),
        "{:#?}",
        p
    );
    assert!(!p.applied);
    let at = |row: usize| p.errors.iter().filter(|e| e.row == row).collect::<Vec<_>>();
    // Rows as the spreadsheet numbers them: the blank row 4 counts.
    assert_eq!(at(5)[0].code, "email.no_at", "{:#?}", p.errors);
    assert_eq!(at(5)[0].column, "Courriel");
    let unknown = at(6)[0];
    assert_eq!(unknown.code, "role.unknown");
    assert_eq!(unknown.column, "Rôles");
    assert!(
        unknown.message.contains("Trésorier"),
        "the valid names: {}",
        unknown.message
    );
    let twice = at(7)[0];
    assert_eq!(twice.code, "import.duplicate");
    assert!(twice.message.contains("ligne 2"), "{}", twice.message);
    // Logins suggested from the names, shown in the preview.
    let logins: Vec<&str> = p
        .rows
        .iter()
        .filter(|r| r.action == Action::Create)
        .map(|r| r.login.as_str())
        .collect();
    assert_eq!(logins, ["zoe.lefevre", "jean-etienne.daubigne"]);
    // The administrator's own row changes nothing: unchanged.
    assert!(
        p.rows
            .iter()
            .any(|r| r.row == 8 && r.action == Action::Unchanged)
    );

    // Applying with errors writes nothing at all.
    let before = count_users(&s).await;
    let refused = run(&s, None, &file, Options::default()).await;
    assert!(!refused.summary.applied);
    assert_eq!(count_users(&s).await, before);

    // The error file: the same columns plus "Erreur", only the faulty rows.
    let errors_path = dir.path().join("erreurs.csv");
    let book = files::error_file(&refused.faulty, Language::Fr);
    std::fs::write(
        &errors_path,
        sesame_sheet::write(Format::Csv, &book).expect("write"),
    )
    .expect("save");
    let back: Vec<Vec<String>> = sesame_sheet::open(&errors_path, &[], &Limits::default())
        .expect("open")
        .map(|r| r.expect("row").cells)
        .collect();
    assert_eq!(back[0].last().map(String::as_str), Some("Erreur"));
    assert_eq!(back.len(), 4, "header + 3 faulty rows: {back:?}");
    assert_eq!(back[1][1], "pas-une-adresse");
    assert!(
        back[1].last().expect("error").contains("@"),
        "{:?}",
        back[1]
    );

    // Only the valid rows, when asked.
    let partial = run(
        &s,
        None,
        &file,
        Options {
            skip_invalid: true,
            ..Options::default()
        },
    )
    .await;
    assert!(partial.summary.applied);
    assert_eq!(count_users(&s).await, before + 2);
    let zoe = s.get("/api/v1/users?q=lefevre", &admin).await;
    let zoe = &zoe.body["items"][0];
    assert_eq!(zoe["email"], "zoe.lefevre@example.fr");
    assert_eq!(zoe["phone"], "+33612345678");
    assert_eq!(zoe["status"], "invited");
    assert_eq!(zoe["roles"][0]["role"], "Amapien");
    let jean = s.get("/api/v1/users?q=aubigne", &admin).await;
    assert_eq!(
        jean.body["items"][0]["roles"][0]["group"], "Ferme du Bec",
        "{}",
        jean.body
    );
    assert_eq!(jean.body["items"][0]["groups"][0], "Ferme du Bec");

    // The administrator fixes the error file and imports it: the rows are created.
    let fixed = write(
        dir.path(),
        "erreurs-corrigees.csv",
        "Identifiant;Courriel;Prénom;Nom;Téléphone;Rôles;Groupes;Erreur\n\
         ;paul.roy@example.fr;Paul;Roy;;;;ancienne erreur\n\
         ;marie@example.fr;Marie;Curie;;Trésorier;;\n",
    );
    // The error file's own "Erreur" column is left aside: the fixed file imports as it is.
    let done = run(&s, None, &fixed, Options::default()).await;
    assert!(done.summary.applied, "{:#?}", done.summary);
    assert_eq!(done.summary.created, 2);
    // The import is in the audit log, with its counts.
    let audit = s.get("/api/v1/audit?action=users.import", &admin).await;
    assert_eq!(
        audit.body["items"].as_array().expect("items").len(),
        2,
        "{}",
        audit.body
    );
    s.stop().await;
}
on_every_database!(
    import_previews_writes_all_or_nothing_and_gives_a_file_to_fix,
    preview_then_all_or_nothing_then_fix_and_retry
);

async fn headers_are_recognised_or_named(db: &Db) {
    let s = Server::start(db).await;
    let _admin = s.init(Profile::Daycare).await;
    let dir = tempfile::tempdir().expect("dir");
    // English headers, commas, no login column.
    let ok = write(
        dir.path(),
        "staff.csv",
        "E-mail,First name,Last Name,Phone\nlea@example.ca,Léa,Tremblay,(514) 555-1234\n",
    );
    let r = run(
        &s,
        None,
        &ok,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    assert_eq!(
        (r.summary.created, r.summary.invalid),
        (1, 0),
        "{:#?}",
        r.summary
    );
    // The daycare requires the phone: a missing column is named, with the expected list.
    let missing = write(
        dir.path(),
        "sans-tel.csv",
        "Courriel;Prénom;Nom;Date d'adhésion\nlea@example.ca;Léa;Tremblay;2024-01-01\n",
    );
    let r = run(
        &s,
        None,
        &missing,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    let codes: Vec<&str> = r.summary.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        ["import.column_unknown", "import.column_missing"],
        "{:#?}",
        r.summary
    );
    assert_eq!(r.summary.errors[0].column, "Date d'adhésion");
    assert!(
        r.summary.errors[1].message.contains("Téléphone"),
        "{}",
        r.summary.errors[1].message
    );
    assert!(!r.complete(true));
    // Headers only: the file is refused as it is opened, with a message to show.
    let empty = write(dir.path(), "vide.csv", "Courriel;Prénom;Nom;Téléphone\n");
    let Err(e) = sesame_sheet::open(&empty, &[], &Limits::default()) else {
        panic!("a file with only headers is refused");
    };
    let r = import::unreadable(&e, Language::Fr);
    assert_eq!(r.summary.errors[0].code, "sheet.headers_only");
    assert!(
        r.summary.errors[0].message.contains("en-tête"),
        "{}",
        r.summary.errors[0].message
    );
    s.stop().await;
}
on_every_database!(
    import_headers_are_recognised_or_named,
    headers_are_recognised_or_named
);

async fn delegation_and_invitations(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let mailer = sink.mailer();
    let s = Server::start_with(db, move |app| app.mailer = mailer).await;
    let admin = s.init(Profile::Amap).await;
    let (_, coordinator) = s
        .user_with_roles(&admin, "coord", json!([{"role": "Coordinateur"}]))
        .await;
    let who = sesame_app::auth::sessions::authenticate(&s.app, &coordinator, None, None)
        .await
        .expect("principal");
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "membres.csv",
        "Courriel;Prénom;Nom;Rôles\nana@example.fr;Ana;Silva;Amapien\nboss@example.fr;Bo;Ss;Administrateur\n",
    );
    // A coordinator cannot grant the administrator role: that row is refused, by name.
    let r = run(
        &s,
        Some(&who),
        &file,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    assert_eq!(r.summary.invalid, 1, "{:#?}", r.summary);
    assert_eq!(r.summary.errors[0].row, 3);
    assert_eq!(r.summary.errors[0].code, "role.outranks");
    assert!(
        r.summary.errors[0].message.contains("« Administrateur »"),
        "{:#?}",
        r.summary.errors
    );
    // The refused row goes to the error file as it was read, to fix and import again.
    assert_eq!(r.faulty.rows.len(), 1);
    assert_eq!(
        r.faulty.rows[0].0,
        ["boss@example.fr", "Bo", "Ss", "Administrateur"]
    );
    // The valid row, with its invitation signed by the coordinator.
    let r = run(
        &s,
        Some(&who),
        &file,
        Options {
            skip_invalid: true,
            send_invitations: true,
            file_name: "membres.csv".into(),
            ..Options::default()
        },
    )
    .await;
    assert!(r.summary.applied);
    // The invitation, and the "import finished" alert to those who may import (on by default).
    let mails = sink.wait_for(3).await;
    let to = |a: &str| {
        mails
            .iter()
            .find(|m| m.rcpt == [a])
            .unwrap_or_else(|| panic!("a mail to {a}"))
    };
    let invitation = to("ana@example.fr").text();
    assert!(
        invitation.contains("Test coord vous invite"),
        "{invitation}"
    );
    let alert = to("admin@example.org").text();
    assert!(
        alert.contains("a importé « membres.csv »")
            && alert.contains("1 personne créée, 0 mise à jour"),
        "{alert}"
    );
    assert!(to("coord@example.org").subject.contains("Import"));
    s.stop().await;
}
on_every_database!(
    import_respects_delegation_and_sends_invitations,
    delegation_and_invitations
);

async fn export_edit_import_round_trips(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    for (login, first) in [("alice", "Alice"), ("bob", "Bob"), ("chloe", "Chloé")] {
        let a = s
            .post(
                "/api/v1/users",
                &admin,
                json!({"login": login, "email": format!("{login}@example.fr"), "first_name": first,
                       "last_name": "Martin", "phone": "06 12 34 56 78", "roles": [{"role": "Amapien"}]}),
            )
            .await;
        assert_eq!(a.status, reqwest::StatusCode::CREATED, "{}", a.body);
    }
    let org = s.app.org(None).await.expect("org");
    let who = s.app.operator(org);
    let dir = tempfile::tempdir().expect("dir");
    let book = files::export(&s.app, &who, Language::Fr)
        .await
        .expect("export");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, sesame_sheet::write(Format::Csv, &book).expect("csv")).expect("save");
    // Unchanged as exported.
    let r = run(
        &s,
        None,
        &path,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    assert_eq!(
        (r.summary.updated, r.summary.invalid),
        (0, 0),
        "{:#?}",
        r.summary
    );
    assert_eq!(r.summary.unchanged, 4, "{:#?}", r.summary);
    // One cell edited: exactly that row is updated.
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("Bob", "Robert");
    std::fs::write(&path, text).expect("edit");
    let r = run(&s, None, &path, Options::default()).await;
    assert_eq!(
        (r.summary.updated, r.summary.unchanged),
        (1, 3),
        "{:#?}",
        r.summary
    );
    let bob = s.get("/api/v1/users?q=bob", &admin).await;
    assert_eq!(bob.body["items"][0]["first_name"], "Robert", "{}", bob.body);
    s.stop().await;
}
on_every_database!(
    export_then_import_reports_only_the_edited_rows,
    export_edit_import_round_trips
);

async fn over_http(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let get_file = |path: String, token: String| {
        let http = s.http.clone();
        let url = format!("{}{path}", s.base);
        async move { http.get(url).bearer_auth(token).send().await.expect("get") }
    };
    // A multipart upload of `bytes` named `name`, with form fields.
    let upload = |bytes: Vec<u8>, name: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let (http, url, token) = (
            s.http.clone(),
            format!("{}/api/v1/imports", s.base),
            admin.clone(),
        );
        async move {
            let mut form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            for (k, v) in fields {
                form = form.text(k, v);
            }
            http.post(url)
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .expect("upload")
        }
    };
    // The template, as a file to download, in the organisation's language.
    let t = get_file("/api/v1/import/template?format=xlsx".into(), admin.clone()).await;
    assert_eq!(t.status(), reqwest::StatusCode::OK);
    assert!(
        t.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("modele-import.xlsx")
    );
    let bytes = t.bytes().await.expect("body").to_vec();
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
    let csv = get_file(
        "/api/v1/import/template?format=csv&lang=en".into(),
        admin.clone(),
    )
    .await;
    let text = csv.text().await.expect("csv");
    assert!(
        text.trim_start_matches('\u{feff}')
            .starts_with("Login,E-mail,First name,Last name"),
        "{text}"
    );
    get_file("/api/v1/import/template?format=pdf".into(), admin.clone())
        .await
        .status()
        .eq(&reqwest::StatusCode::UNPROCESSABLE_ENTITY)
        .then_some(())
        .expect("an unknown format is refused");

    // An upload with one faulty row: the summary, and the error file to fix.
    let csv = "Courriel;Prénom;Nom;Rôles\nana@example.fr;Ana;Silva;Amapien\nbad;Bo;Ss;\n";
    let up = upload(csv.into(), "membres.csv", vec![("dry_run", "false")]).await;
    assert_eq!(up.status(), reqwest::StatusCode::OK);
    let job: serde_json::Value = up.json().await.expect("json");
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["summary"]["invalid"], 1, "{job}");
    assert_eq!(job["summary"]["applied"], false, "{job}");
    assert_eq!(job["summary"]["errors"][0]["row"], 3);
    let link = job["error_file"]
        .as_str()
        .expect("error file link")
        .to_string();
    let polled = s
        .get(
            &format!("/api/v1/imports/{}", job["id"].as_str().expect("id")),
            &admin,
        )
        .await;
    assert_eq!(polled.body["summary"]["created"], 1);
    let errors = get_file(format!("{link}?format=csv"), admin.clone()).await;
    assert_eq!(errors.status(), reqwest::StatusCode::OK);
    let text = errors.text().await.expect("text");
    assert!(
        text.contains("bad;Bo;Ss;") && text.contains("Erreur"),
        "{text}"
    );
    assert!(
        !text.contains("ana@example.fr"),
        "only the faulty rows: {text}"
    );

    // An import that ended 31 days ago (its faulty rows are personal data): forgotten when the
    // next starts. One left "running" by an instance that stopped long ago (before leases
    // existed): failed as interrupted, and kept as long as any ended import.
    let org = s.app.org(None).await.expect("org");
    let day = 24 * 3600 * 1000;
    let now = sesame_store::now_ms();
    let mut old_ids = Vec::new();
    for (state, finished) in [("done", Some(now - 91 * day)), ("running", None)] {
        let id = sesame_store::new_id();
        let mut conn = s.app.store.read().await.expect("conn");
        sesame_store::imports::insert(
            &mut conn,
            &sesame_store::imports::ImportRow {
                id: id.clone(),
                org_id: org.id().to_string(),
                user_id: None,
                file_name: "ancien.csv".into(),
                format: "csv".into(),
                state: state.into(),
                dry_run: false,
                rows_read: 1,
                summary_json: None,
                faulty_json: Some(r#"{"headers":["Courriel"],"rows":[[["x@"],"…"]]}"#.into()),
                created_at: now - 100 * day,
                finished_at: finished,
                lease_until: None,
                failure: None,
            },
        )
        .await
        .expect("insert");
        old_ids.push(id);
    }
    let kept = s
        .get(&format!("/api/v1/imports/{}", old_ids[0]), &admin)
        .await;
    assert_eq!(kept.status.as_u16(), 200, "{}", kept.body);

    // A larger file with `wait=0`: answered at once (202) as a job to poll, then done; the
    // rows are applied.
    let mut big = String::from("Courriel;Prénom;Nom;Rôles\n");
    for i in 0..3000 {
        big.push_str(&format!("membre{i}@example.fr;Prénom{i};Nom{i};Amapien\n"));
    }
    let up = upload(big.into_bytes(), "grand.csv", vec![("wait", "0")]).await;
    assert_eq!(up.status(), reqwest::StatusCode::ACCEPTED);
    let job: serde_json::Value = up.json().await.expect("json");
    assert_eq!(job["state"], "running", "{job}");
    assert!(job["summary"].is_null(), "{job}");
    let path = format!("/api/v1/imports/{}", job["id"].as_str().expect("id"));
    let mut polled = s.get(&path, &admin).await;
    for _ in 0..600 {
        if polled.body["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        polled = s.get(&path, &admin).await;
    }
    assert_eq!(polled.body["state"], "done", "{}", polled.body);
    assert_eq!(polled.body["rows_read"], 3000, "{}", polled.body);
    assert_eq!(polled.body["summary"]["created"], 3000);
    assert_eq!(polled.body["summary"]["applied"], true);
    assert_eq!(
        polled.body["summary"]["rows"]
            .as_array()
            .expect("rows")
            .len(),
        1000
    );
    assert_eq!(polled.body["summary"]["rows_truncated"], true);
    assert!(polled.body["error_file"].is_null(), "{}", polled.body);
    let gone = s
        .get(&format!("/api/v1/imports/{}", old_ids[0]), &admin)
        .await;
    assert_eq!(gone.status.as_u16(), 404, "{}", gone.body);
    let interrupted = s
        .get(&format!("/api/v1/imports/{}", old_ids[1]), &admin)
        .await;
    assert_eq!(interrupted.body["state"], "failed", "{}", interrupted.body);
    assert_eq!(
        interrupted.body["failure"]["code"], "import.interrupted",
        "{}",
        interrupted.body
    );
    // A wait beyond 10 seconds is refused, by name.
    let refused = upload(csv.into(), "membres.csv", vec![("wait", "60")]).await;
    assert_eq!(refused.status(), reqwest::StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "wait", "{problem}");

    // A member without the import permission can do none of it.
    let (_, member) = s
        .user_with_roles(&admin, "membre", json!([{"role": "Amapien"}]))
        .await;
    let refused = get_file("/api/v1/export?format=csv".into(), member.clone()).await;
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    // The export, by someone allowed.
    let export = get_file("/api/v1/export?format=csv".into(), admin.clone()).await;
    assert_eq!(export.status(), reqwest::StatusCode::OK);
    let text = export.text().await.expect("csv");
    assert!(text.contains("membre@example.org"), "{text}");
    s.stop().await;
}
on_every_database!(import_and_export_over_http, over_http);

/// The files real spreadsheet software wrote (tests/fixtures/import, see its README): the same
/// members saved as XLSX, ODS and XLS by LibreOffice give the same preview; French Excel's
/// Windows-1252 CSV and LibreOffice's UTF-16 CSV are read; a password-protected file is named.
async fn files_from_real_spreadsheet_software(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let role = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Membre", "permissions": []}),
        )
        .await;
    assert_eq!(role.status, reqwest::StatusCode::CREATED, "{}", role.body);
    for g in ["Panier légumes", "Panier fruits", "Panier œufs 5 €"] {
        let a = s
            .post(
                "/api/v1/groups",
                &admin,
                json!({"name": g, "kind": "panier"}),
            )
            .await;
        assert_eq!(a.status, reqwest::StatusCode::CREATED, "{}", a.body);
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let preview = |name: &str| {
        let path = fixtures.join(name);
        let s = &s;
        async move {
            run(
                s,
                None,
                &path,
                Options {
                    dry_run: true,
                    ..Options::default()
                },
            )
            .await
        }
    };
    let xlsx = preview("membres.xlsx").await.summary;
    let facts = |sum: &import::Summary| {
        let mut errs: Vec<(usize, String, String)> = sum
            .errors
            .iter()
            .map(|e| (e.row, e.column.clone(), e.code.clone()))
            .collect();
        errs.sort();
        let rows: Vec<(usize, String, Action)> = sum
            .rows
            .iter()
            .map(|r| (r.row, r.login.clone(), r.action))
            .collect();
        (sum.created, sum.invalid, errs, rows)
    };
    // Blank rows 4 and 5 are skipped but counted; row 9 repeats row 2.
    let (_, _, errors, rows) = facts(&xlsx);
    assert!(
        errors.contains(&(9, "Courriel".into(), "import.duplicate".into())),
        "{errors:?}"
    );
    assert!(rows.iter().all(|(r, _, _)| *r != 4 && *r != 5), "{rows:?}");
    assert!(
        rows.contains(&(2, "zlefevre".into(), Action::Create)),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(r, _, a)| *r == 3 && *a == Action::Create),
        "{rows:?} {errors:?}"
    );
    // The same members from LibreOffice's ODS and XLS: the same preview.
    for other in ["membres.ods", "membres.xls", "membres-openpyxl.xlsx"] {
        let sum = preview(other).await.summary;
        assert_eq!(facts(&sum), facts(&xlsx), "{other}");
    }
    // French Excel's CSV: Windows-1252 (œ, €), semicolons, "Adresse e-mail" and "Portable".
    let csv = preview("membres-excel-fr.csv").await.summary;
    assert!(
        csv.rows
            .iter()
            .any(|r| r.row == 4 && r.action == Action::Create && r.login == "acoeur"),
        "{:#?}",
        csv
    );
    assert!(
        csv.errors
            .iter()
            .any(|e| e.row == 6 && e.code == "group.unknown" && e.message.contains("=1+1")),
        "{:#?}",
        csv.errors
    );
    // LibreOffice's UTF-16 CSV with English headers, in an AMAP whose roles differ: read, and
    // each unknown role named.
    let en = preview("members-utf16.csv").await.summary;
    assert!(
        en.errors.iter().any(|e| e.code == "role.unknown"),
        "{:#?}",
        en.errors
    );
    assert!(
        en.errors
            .iter()
            .any(|e| e.code == "import.duplicate" && e.row == 6),
        "{:#?}",
        en.errors
    );
    // A password-protected workbook: said so, not "damaged".
    let Err(e) = sesame_sheet::open(&fixtures.join("protected.xlsx"), &[], &Limits::default())
    else {
        panic!("a protected file is refused");
    };
    let r = import::unreadable(&e, Language::Fr);
    assert_eq!(r.summary.errors[0].code, "sheet.encrypted");
    assert!(
        r.summary.errors[0].message.contains("mot de passe"),
        "{:?}",
        r.summary.errors
    );
    s.stop().await;
}
on_every_database!(
    import_reads_files_from_real_spreadsheet_software,
    files_from_real_spreadsheet_software
);

async fn namesakes_get_numbered_logins(db: &Db) {
    let s = Server::start(db).await;
    let _admin = s.init(Profile::Amap).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "homonymes.csv",
        "Identifiant;Courriel;Prénom;Nom\n\
         ;z1@example.fr;Zoé;Lefèvre\n\
         ;z2@example.fr;Zoé;Lefèvre\n\
         ;z3@example.fr;Zoe;LEFEVRE\n\
         zoe.lefevre2;z4@example.fr;Zoé;Autre\n",
    );
    let r = run(
        &s,
        None,
        &file,
        Options {
            dry_run: true,
            ..Options::default()
        },
    )
    .await;
    let logins: Vec<&str> = r.summary.rows.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(
        logins[..3],
        ["zoe.lefevre", "zoe.lefevre2", "zoe.lefevre3"],
        "{:#?}",
        r.summary
    );
    // A login typed in the file that a suggestion above already took: refused by name.
    assert_eq!(r.summary.errors.len(), 1, "{:#?}", r.summary.errors);
    assert_eq!(r.summary.errors[0].row, 5);
    assert_eq!(r.summary.errors[0].code, "login.taken");
    s.stop().await;
}
on_every_database!(
    import_numbers_namesakes_logins,
    namesakes_get_numbered_logins
);

/// Rows are written batch by batch while the next ones are checked: a wrong row after two
/// batches already written rolls them back, nothing of the file stays and every mistake is
/// still reported; with `skip_invalid`, every valid row is written, before and after it.
async fn a_late_mistake_undoes_the_batches_written(db: &Db) {
    let s = Server::start(db).await;
    let _admin = s.init(Profile::Amap).await;
    let before = count_users(&s).await;
    let invited_before = invited(&s).await;
    let dir = tempfile::tempdir().expect("dir");
    let mut text = String::from("Courriel;Prénom;Nom\n");
    for i in 0..1200 {
        text.push_str(&format!("m{i}@example.fr;Membre;Numéro {i}\n"));
    }
    text.push_str("pas-une-adresse;Paul;Roy\n");
    for i in 1200..1300 {
        text.push_str(&format!("m{i}@example.fr;Membre;Numéro {i}\n"));
    }
    text.push_str("m5@example.fr;Membre;Répété\n");
    let file = write(dir.path(), "membres.csv", &text);

    let r = run(&s, None, &file, Options::default()).await;
    assert!(!r.summary.applied, "{:#?}", r.summary.errors);
    assert_eq!(
        (r.summary.created, r.summary.invalid),
        (1300, 2),
        "{:#?}",
        r.summary.errors
    );
    let rows: Vec<(usize, &str)> = r
        .summary
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert_eq!(
        rows,
        [(1202, "email.no_at"), (1303, "import.duplicate")],
        "{:#?}",
        r.summary.errors
    );
    assert_eq!(count_users(&s).await, before, "nothing of the file stays");
    assert_eq!(invited(&s).await, invited_before, "the kept counts neither");
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    let imports = sesame_store::audit::list(
        &mut conn,
        org.id(),
        &sesame_store::audit::Filter {
            action: Some("users.import".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .expect("audit");
    assert!(imports.is_empty(), "no import recorded: {imports:?}");
    drop(conn);

    let r = run(
        &s,
        None,
        &file,
        Options {
            skip_invalid: true,
            ..Options::default()
        },
    )
    .await;
    assert!(r.summary.applied);
    assert_eq!((r.summary.created, r.summary.invalid), (1300, 2));
    assert_eq!(count_users(&s).await, before + 1300);
    assert_eq!(
        invited(&s).await,
        invited_before + 1300,
        "the kept counts follow"
    );
    s.stop().await;
}

/// The organisation's invited people as the users list counts them (`user_counts`, kept by
/// every write), checked against a count of the rows themselves.
async fn invited(s: &Server) -> i64 {
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    let kept = sesame_store::users::count_by_status(
        &mut conn,
        org.id(),
        &sesame_store::users::Filter::default(),
    )
    .await
    .expect("counts")
    .invited;
    let rows = sesame_store::users::all(&mut conn, org.id())
        .await
        .expect("users")
        .iter()
        .filter(|u| u.status == sesame_core::Status::Invited)
        .count() as i64;
    assert_eq!(kept, rows, "user_counts agrees with the rows");
    kept
}
on_every_database!(
    import_rolls_back_written_batches_on_a_late_mistake,
    a_late_mistake_undoes_the_batches_written
);
