//! Moving in from WordPress (issue 23): a `wp user list` export — accents, roles joined by `,`
//! and `|`, empty names, each kind of password hash — imported end to end (CSV, and the same
//! columns in XLSX written by openpyxl and ODS written by odfpy), its WordPress roles mapped to
//! the organisation's, only by an administrator, audited without the hashes; then each member
//! signs in through the API with the password they know and is re-hashed to Argon2id.

use crate::harness::{Db, Server, python};
use crate::on_every_database;
use crate::wordpress::{legacy_hashes, stored_hash};
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;

/// A multipart upload to `POST /api/v1/imports` by `token`, answered as JSON (status, body).
async fn upload(
    s: &Server,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, serde_json::Value) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = r.status();
    (status, r.json().await.expect("json"))
}

/// A CSV field as PHP's `fputcsv` (and so `wp user list --format=csv`) writes it: quoted when
/// it holds a comma, a quote, a space or a line end.
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', ' ', '\n', '\r', '\t']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

pub const WP_HEADER: [&str; 7] = [
    "user_login",
    "user_email",
    "display_name",
    "first_name",
    "last_name",
    "roles",
    "user_pass",
];

/// The members of a WordPress/Amapress site, as `wp user list` gives them: accents, roles
/// joined by `,` and by `|`, empty names, and each kind of hash. (login, password, row.)
fn members() -> Vec<(&'static str, &'static str, Vec<String>)> {
    let [phpass, wp68, bcrypt] = [0, 1, 2].map(|i| legacy_hashes(PASSWORDS[i]).remove(i).1);
    let row = |cells: [&str; 7]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    vec![
        (
            "zoe.lefevre",
            PASSWORDS[0],
            row([
                "zoe.lefevre",
                "zoe@example.fr",
                "Zoé Lefèvre",
                "Zoé",
                "Lefèvre",
                "amapien,referent_producteur",
                &phpass,
            ]),
        ),
        (
            "jetienne",
            PASSWORDS[1],
            row([
                "jetienne",
                "jean-etienne@example.fr",
                "Jean-Étienne d'Aubigné",
                "",
                "",
                "amapien|tresorier",
                &wp68,
            ]),
        ),
        (
            "marie",
            PASSWORDS[2],
            row([
                "marie",
                "marie@example.fr",
                "marie",
                "",
                "",
                "administrator",
                &bcrypt,
            ]),
        ),
        (
            "paul.roy",
            "",
            row([
                "paul.roy",
                "paul@example.fr",
                "Paul Roy",
                "Paul",
                "Roy",
                "subscriber",
                "",
            ]),
        ),
    ]
}

const PASSWORDS: [&str; 3] = [
    "Confiture de groseilles 2021",
    "  potager partagé du jeudi ",
    "Ferme du Bec, panier 12",
];

fn wp_csv(rows: &[Vec<String>]) -> String {
    let mut out = WP_HEADER.join(",") + "\n";
    for r in rows {
        out += &r.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
        out += "\n";
    }
    out
}

/// The same columns as an XLSX written by openpyxl and an ODS written by odfpy.
fn wp_spreadsheets(dir: &std::path::Path, rows: &[Vec<String>]) -> (Vec<u8>, Vec<u8>) {
    let table: Vec<Vec<String>> =
        std::iter::once(WP_HEADER.iter().map(|h| h.to_string()).collect())
            .chain(rows.iter().cloned())
            .collect();
    let data = dir.join("rows.json");
    std::fs::write(&data, serde_json::to_vec(&table).expect("json")).expect("write");
    let script = r#"
import sys, json
import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P
rows = json.load(open(sys.argv[1]))
wb = openpyxl.Workbook(); ws = wb.active
for r in rows:
    ws.append(r)
for row in ws.iter_rows():
    for c in row:
        c.data_type = "s"
wb.save(sys.argv[2])
doc = OpenDocumentSpreadsheet(); t = Table(name="users")
for r in rows:
    tr = TableRow()
    for v in r:
        tc = TableCell(valuetype="string")
        if v:
            tc.addElement(P(text=v))
        tr.addElement(tc)
    t.addElement(tr)
doc.spreadsheet.addElement(t); doc.save(sys.argv[3])
"#;
    let (xlsx, ods) = (dir.join("users.xlsx"), dir.join("users.ods"));
    let out = std::process::Command::new(python())
        .args([
            std::ffi::OsStr::new("-c"),
            std::ffi::OsStr::new(script),
            data.as_os_str(),
            xlsx.as_os_str(),
            ods.as_os_str(),
        ])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "openpyxl/odfpy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read(xlsx).expect("xlsx"),
        std::fs::read(ods).expect("ods"),
    )
}

async fn held_roles(s: &Server, login: &str) -> Vec<String> {
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    let user = sesame_store::users::for_sign_in(&mut conn, org.id(), login)
        .await
        .expect("read")
        .expect("user")
        .user;
    let mut names: Vec<String> = sesame_store::roles::held_by(&mut conn, org.id(), &[user.id])
        .await
        .expect("roles")
        .into_iter()
        .map(|h| h.role_name)
        .collect();
    names.sort();
    names
}

async fn a_wordpress_export_moves_in(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let members = members();
    let rows: Vec<Vec<String>> = members.iter().map(|m| m.2.clone()).collect();
    let csv = wp_csv(&rows);
    let dir = tempfile::tempdir().expect("dir");

    // Someone who may import but is not an administrator cannot bring hashes in.
    let (_, coordinator) = s
        .user_with_roles(&admin, "coord", json!([{"role": "Coordinateur"}]))
        .await;
    let (status, job) = upload(&s, &coordinator, csv.clone().into(), "wp.csv", &[]).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let e = &job["summary"]["errors"][0];
    assert_eq!(e["code"], "permission.administrators_only", "{job}");
    assert_eq!(e["column"], "user_pass");
    assert!(
        e["message"]
            .as_str()
            .expect("message")
            .contains("Administrateur")
            || e["message"]
                .as_str()
                .expect("message")
                .contains("administrateur"),
        "{e}"
    );
    assert_eq!(job["summary"]["applied"], false);
    assert!(stored_hash(&s, "zoe.lefevre").await.is_none());

    // The preview: what each row does, the people who come with their password, and the
    // mapping of the WordPress roles it proposes.
    let (status, job) = upload(
        &s,
        &admin,
        csv.clone().into(),
        "wp.csv",
        &[("dry_run", "true")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let summary = &job["summary"];
    assert_eq!(summary["errors"], json!([]), "{job}");
    assert_eq!(summary["created"], 4);
    assert_eq!(summary["password_hashes"], 3);
    assert_eq!(
        summary["role_map"],
        json!([
            {"source": "administrator", "role": null, "proposed": true},
            {"source": "amapien", "role": "Amapien", "proposed": true},
            {"source": "referent_producteur", "role": "Référent producteur", "proposed": true},
            {"source": "subscriber", "role": null, "proposed": true},
            {"source": "tresorier", "role": "Trésorier", "proposed": true},
        ]),
        "{job}"
    );
    assert!(!job.to_string().contains("$P$"), "no hash in the answer");

    // The same columns in XLSX and ODS are read alike.
    let (xlsx, ods) = wp_spreadsheets(dir.path(), &rows);
    for (bytes, name) in [(xlsx, "wp.xlsx"), (ods, "wp.ods")] {
        let (status, job) = upload(&s, &admin, bytes, name, &[("dry_run", "true")]).await;
        assert_eq!(status, StatusCode::OK, "{name}: {job}");
        assert_eq!(job["summary"]["errors"], json!([]), "{name}: {job}");
        assert_eq!(job["summary"]["created"], 4, "{name}");
        assert_eq!(job["summary"]["password_hashes"], 3, "{name}");
    }

    // A mapping that names a role the organisation does not have is refused, naming it.
    let (status, job) = upload(
        &s,
        &admin,
        csv.clone().into(),
        "wp.csv",
        &[("role_map", r#"{"subscriber": "Abonné"}"#)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(
        job["summary"]["errors"][0]["code"],
        "import.role_map_unknown"
    );
    assert!(
        job["summary"]["errors"][0]["message"]
            .as_str()
            .expect("m")
            .contains("Abonné")
    );
    let (status, bad) = upload(
        &s,
        &admin,
        csv.clone().into(),
        "wp.csv",
        &[("role_map", "[1]")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["errors"][0]["field"], "role_map");

    // Applied, with the administrator's mapping: subscribers become Amapiens.
    let (status, job) = upload(
        &s,
        &admin,
        csv.clone().into(),
        "wp.csv",
        &[
            ("send_invitations", "true"),
            (
                "role_map",
                r#"{"Subscriber": "Amapien", "administrator": null}"#,
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let summary = &job["summary"];
    assert_eq!(summary["applied"], true, "{job}");
    assert_eq!(summary["created"], 4);
    let mapped: Vec<(String, serde_json::Value, bool)> = summary["role_map"]
        .as_array()
        .expect("role_map")
        .iter()
        .map(|m| {
            (
                m["source"].as_str().expect("source").to_string(),
                m["role"].clone(),
                m["proposed"].as_bool().expect("proposed"),
            )
        })
        .collect();
    assert!(
        mapped.contains(&("subscriber".into(), json!("Amapien"), false)),
        "{mapped:?}"
    );
    assert!(
        mapped.contains(&("administrator".into(), json!(null), false)),
        "{mapped:?}"
    );
    assert!(
        mapped.contains(&("amapien".into(), json!("Amapien"), true)),
        "{mapped:?}"
    );

    // In the database: names from display_name when empty, the roles mapped, the hashes as
    // they came, active; Paul, without a hash, invited.
    let org = s.app.org(None).await.expect("org");
    let users = {
        let mut conn = s.app.store.read().await.expect("conn");
        sesame_store::users::all(&mut conn, org.id())
            .await
            .expect("users")
    };
    let user = |login: &str| {
        users
            .iter()
            .find(|u| u.login == login)
            .expect(login)
            .clone()
    };
    assert_eq!(user("jetienne").first_name.as_deref(), Some("Jean-Étienne"));
    assert_eq!(user("jetienne").last_name.as_deref(), Some("d'Aubigné"));
    assert_eq!(
        user("marie").first_name,
        None,
        "display_name = login gives no name"
    );
    assert_eq!(user("zoe.lefevre").last_name.as_deref(), Some("Lefèvre"));
    for (login, want) in [
        ("zoe.lefevre", sesame_core::Status::Active),
        ("jetienne", sesame_core::Status::Active),
        ("marie", sesame_core::Status::Active),
        ("paul.roy", sesame_core::Status::Invited),
    ] {
        assert_eq!(user(login).status, want, "{login}");
    }
    assert_eq!(
        held_roles(&s, "zoe.lefevre").await,
        ["Amapien", "Référent producteur"]
    );
    assert_eq!(held_roles(&s, "jetienne").await, ["Amapien", "Trésorier"]);
    assert_eq!(held_roles(&s, "marie").await, Vec::<String>::new());
    assert_eq!(held_roles(&s, "paul.roy").await, ["Amapien"]);
    assert!(stored_hash(&s, "paul.roy").await.is_none());

    // Audited — the mapping and the count, never a hash.
    let log = s.get("/api/v1/audit?action=users.import", &admin).await;
    let entry = log.body["items"]
        .as_array()
        .and_then(|items| items.first())
        .unwrap_or_else(|| panic!("audit: {}", log.body));
    assert_eq!(entry["after"]["password_hashes"], 3, "{entry}");
    assert!(entry["after"]["role_map"].is_array(), "{entry}");
    let created = s
        .get("/api/v1/audit?action=user.create&limit=20", &admin)
        .await;
    assert!(
        created
            .body
            .to_string()
            .contains("\"password_hash_imported\":\"phpass\""),
        "{}",
        created.body
    );
    for body in [&log.body, &created.body] {
        let text = body.to_string();
        assert!(!text.contains("$P$") && !text.contains("$2y$"), "{text}");
    }
    // The export has no hash either.
    let export = s
        .http
        .get(format!("{}/api/v1/export?format=csv", s.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("text");
    assert!(
        export.contains("zoe@example.fr") && !export.contains("$P$"),
        "{export}"
    );

    // Each signs in through the API with the password they know, and is re-hashed.
    for (login, password, _) in members.iter().filter(|m| !m.1.is_empty()) {
        let before = stored_hash(&s, login).await.expect("hash");
        assert!(!before.starts_with("$argon2"), "{login}");
        s.sign_in(login, "pas le bon", None)
            .await
            .problem(401, "", "auth.failed");
        s.login(login, password).await;
        let after = stored_hash(&s, login).await.expect("hash");
        assert!(
            after.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{login}: {after}"
        );
        s.login(login, password).await;
    }
    s.stop().await;
}

async fn wrong_hashes_are_named_and_never_kept(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (_, phpass) = legacy_hashes("Confiture de groseilles 2021").remove(0);
    let csv = format!(
        "user_login,user_email,roles,user_pass\n\
         ana,ana@example.fr,amapien,{phpass}\n\
         bob,bob@example.fr,amapien,motdepasse-en-clair\n\
         cleo,cleo@example.fr,amapien,{}\n",
        phpass.replace("$P$B", "$P$J")
    );
    let (status, job) = upload(&s, &admin, csv.into(), "wp.csv", &[]).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let errors = job["summary"]["errors"].as_array().expect("errors").clone();
    assert_eq!(errors.len(), 2, "{job}");
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["column"], "user_pass");
    assert_eq!(errors[0]["code"], "password_hash.unknown");
    assert_eq!(errors[1]["row"], 4);
    assert_eq!(errors[1]["code"], "password_hash.too_costly");
    assert_eq!(job["summary"]["applied"], false);
    // The error file has the faulty rows, their hash cells emptied.
    let link = job["error_file"].as_str().expect("error file").to_string();
    let text = s
        .http
        .get(format!("{}{link}?format=csv", s.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("bob@example.fr") && text.contains("cleo@example.fr"),
        "{text}"
    );
    assert!(
        !text.contains("motdepasse-en-clair") && !text.contains(&phpass[4..]),
        "{text}"
    );
    s.stop().await;
}

on_every_database!(
    a_wordpress_users_export_is_imported_with_its_passwords,
    a_wordpress_export_moves_in
);
on_every_database!(
    wrong_wordpress_hashes_are_refused_by_row,
    wrong_hashes_are_named_and_never_kept
);

async fn the_command_line_takes_a_role_map(db: &Db) {
    use crate::cli::sesame;
    let dir = tempfile::tempdir().expect("dir");
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    std::fs::write(p("pw"), "correct horse battery staple\n").expect("pw");
    let init = sesame(
        db,
        "fr",
        &[
            "init",
            "--org",
            "AMAP des Lilas",
            "--profile",
            "amap",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@lilas.example",
            "--admin-password-file",
            &p("pw"),
        ],
    );
    assert_eq!(init.status, 0, "{}", init.stderr);
    let (_, phpass) = legacy_hashes("Radis roses du mardi").remove(0);
    std::fs::write(
        p("wp.csv"),
        format!(
            "user_login,user_email,display_name,roles,user_pass\n\
             lea,lea@example.fr,\"Léa Dubois\",\"subscriber,amapien\",{phpass}\n\
             tom,tom@example.fr,tom,administrator,\n"
        ),
    )
    .expect("csv");
    std::fs::write(
        p("roles.txt"),
        "# WordPress = Sésame\nsubscriber = Amapien\nAdministrator =\n",
    )
    .expect("map");
    std::fs::write(p("bad.txt"), "subscriber = Amapien\nabonné Amapien\n").expect("map");
    let bad = sesame(
        db,
        "fr",
        &["import", &p("wp.csv"), "--role-map", &p("bad.txt")],
    );
    assert_eq!(bad.status, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("ligne 2"), "{}", bad.stderr);
    let run = sesame(
        db,
        "fr",
        &[
            "import",
            &p("wp.csv"),
            "--role-map",
            &p("roles.txt"),
            "--json",
        ],
    );
    assert_eq!(run.status, 0, "{} {}", run.stdout, run.stderr);
    let out: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(out["created"], 2, "{out}");
    assert_eq!(out["password_hashes"], 1, "{out}");
    assert!(
        out["role_map"]
            .as_array()
            .expect("role_map")
            .contains(&json!({"source": "subscriber", "role": "Amapien", "proposed": false})),
        "{out}"
    );
    assert!(!run.stdout.contains(&phpass[4..]));
    let s = Server::start(db).await;
    assert_eq!(held_roles(&s, "lea").await, ["Amapien"]);
    assert_eq!(held_roles(&s, "tom").await, Vec::<String>::new());
    s.login("lea", "Radis roses du mardi").await;
    let after = stored_hash(&s, "lea").await.expect("hash");
    assert!(after.starts_with("$argon2id$"), "{after}");
    s.stop().await;
}

on_every_database!(
    a_wordpress_export_imports_at_the_command_line_with_a_role_map,
    the_command_line_takes_a_role_map
);

async fn the_import_page_lets_the_mapping_be_changed(db: &Db) {
    use crate::web_import::{count, ended, import_id, once, post, upload};
    use crate::web_pages::{Browser, CSRF};
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let rows: Vec<Vec<String>> = members().into_iter().map(|m| m.2).collect();
    let a = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let preview = upload(&a, &wp_csv(&rows)).await;
    let page = ended(&a, &preview).await;
    assert_eq!(count(&page, "count-created"), "4");
    assert!(page.contains("id=\"role-map\""), "{page}");
    assert!(
        page.contains("3 personnes arrivent avec leur mot de passe WordPress"),
        "{page}"
    );
    // subscriber: no role proposed, the organisation's roles offered.
    let at = page.find(">subscriber</label>").expect("subscriber's line");
    let line = &page[at..at + page[at..].find("</tr>").expect("end of line")];
    assert!(
        line.contains("<option value=\"\" selected>Aucun rôle</option>"),
        "{line}"
    );
    assert!(
        line.contains("<option value=\"Amapien\">Amapien</option>"),
        "{line}"
    );
    assert!(line.contains("(proposé)"), "{line}");
    assert!(!page.contains(&rows[0][6][4..]), "no hash in the page");

    let id = import_id(&preview).to_string();
    let (status, place, body) = post(
        &a,
        &format!("/import/{id}/apply"),
        &[
            ("csrf", CSRF),
            ("once", &once("wp-apply")),
            ("role_source.0", "subscriber"),
            ("role_map.0", "Amapien"),
            ("role_source.1", "tresorier"),
            ("role_map.1", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let result = ended(&a, &place).await;
    assert!(result.contains("L’import est fait."), "{result}");
    assert_eq!(held_roles(&s, "paul.roy").await, ["Amapien"]);
    assert_eq!(held_roles(&s, "jetienne").await, ["Amapien"]);
    assert_eq!(
        held_roles(&s, "zoe.lefevre").await,
        ["Amapien", "Référent producteur"]
    );
    // The mapping used is kept with the import.
    let job = s
        .get(&format!("/api/v1/imports/{}", import_id(&place)), &admin)
        .await;
    let used = job.body["summary"]["role_map"]
        .as_array()
        .expect("role_map")
        .clone();
    assert!(
        used.contains(&json!({"source": "subscriber", "role": "Amapien", "proposed": false})),
        "{used:?}"
    );
    assert!(
        used.contains(&json!({"source": "tresorier", "role": null, "proposed": false})),
        "{used:?}"
    );
    s.stop().await;
}

on_every_database!(
    the_import_page_maps_wordpress_roles_as_chosen,
    the_import_page_lets_the_mapping_be_changed
);
