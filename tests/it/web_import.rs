//! The import page's « Importer les lignes valides », at the HTTP level: after a preview with
//! faulty rows, and after an import refused because of them, the same file's valid rows are
//! written and the others left for the error file; a person without the import right, or
//! another person than the one who sent the file, is refused and nothing is written.

use crate::harness::{ADMIN_PASSWORD, Db, Server, USER_PASSWORD};
use crate::on_every_database;
use crate::web_pages::{Browser, CSRF};
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;
use std::time::Duration;

/// Two valid rows and one faulty (its e-mail address), with logins of their own.
fn members(tag: &str) -> String {
    format!(
        "\u{feff}Courriel;Prénom;Nom\r\n\
         {tag}.marc@example.org;Marc;Petit{tag}\r\n\
         pas-une-adresse;Inès;Garnier{tag}\r\n\
         {tag}.lea@example.org;Léa;Roux{tag}\r\n"
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Where a redirect leads.
fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Sends `csv` to the import page: the preview's page.
pub(crate) async fn upload(b: &Browser<'_>, csv: &str) -> String {
    let form = reqwest::multipart::Form::new().text("csrf", CSRF).part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("membres.csv"),
    );
    let r = client()
        .post(format!("{}/import", b.s.base))
        .header("Cookie", &b.cookie)
        .header("Accept-Language", "fr")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "upload: {:?}",
        r.text().await
    );
    location(&r)
}

/// Posts a form; the status, where it leads, and the page.
pub(crate) async fn post(
    b: &Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let r = client()
        .post(format!("{}{path}", b.s.base))
        .header("Cookie", &b.cookie)
        .header("Accept-Language", "fr")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).expect("form"))
        .send()
        .await
        .expect("post");
    let place = location(&r);
    (r.status(), place, r.text().await.unwrap_or_default())
}

/// The page of an import once it ended.
pub(crate) async fn ended(b: &Browser<'_>, place: &str) -> String {
    for _ in 0..200 {
        let (status, page) = b.get(place).await;
        assert_eq!(status, StatusCode::OK, "{place}: {page}");
        assert!(
            !page.contains("http-equiv=\"refresh\""),
            "the page never reloads itself"
        );
        if !page.contains("id=\"import-running\"") {
            return page;
        }
        assert!(
            page.contains("id=\"refresh\""),
            "a running import offers a link to refresh by hand"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import at {place} did not end");
}

/// The import's id in its page's address.
pub(crate) fn import_id(place: &str) -> &str {
    place
        .trim_start_matches("/import/")
        .split('?')
        .next()
        .unwrap_or("")
}

pub(crate) fn count(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[at + id.len() + 6..];
    rest[..rest.find('<').expect("end")].to_string()
}

/// A form's `once` value, of this run alone: the duplicate-post table outlives a server
/// within the test process.
pub(crate) fn once(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{name}-{nanos}")
}

async fn logins(s: &Server, admin: &str, q: &str) -> usize {
    let found = s.get(&format!("/api/v1/users?q={q}"), admin).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    found.body["items"].as_array().map_or(0, Vec::len)
}

async fn the_valid_rows_are_imported(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    s.user_with_roles(&admin, "membre", json!([{"role": "Amapien"}]))
        .await;
    s.user_with_roles(&admin, "second", json!([{"role": "Administrateur"}]))
        .await;
    let a = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let membre = Browser::signed_in(&s, "membre", USER_PASSWORD).await;
    let second = Browser::signed_in(&s, "second", USER_PASSWORD).await;

    // The preview shows the faulty row and offers the valid ones.
    let preview = upload(&a, &members("un")).await;
    let page = ended(&a, &preview).await;
    assert_eq!(count(&page, "count-created"), "2");
    assert_eq!(count(&page, "count-invalid"), "1");
    let id = import_id(&preview);
    assert!(
        page.contains(&format!("formaction=\"/import/{id}/apply-valid\"")),
        "the preview offers the valid rows: {page}"
    );
    let action = format!("/import/{id}/apply-valid");

    // Without the import right: refused, and the file is still there for its owner.
    let (status, _, page) = post(&membre, &action, &[("csrf", CSRF), ("once", &once("m-1"))]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    // Another person's file: refused, said, and left to its owner.
    let (status, _, page) = post(&second, &action, &[("csrf", CSRF), ("once", &once("s-1"))]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("n’est plus gardé"), "{page}");
    assert_eq!(logins(&s, &admin, "petitun").await, 0, "nothing written");
    // Without the CSRF token: refused.
    let (status, _, _) = post(&a, &action, &[("once", &once("a-0"))]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The owner: the two valid rows are written, the faulty one is in the error file.
    let first = once("a-1");
    let (status, place, page) = post(&a, &action, &[("csrf", CSRF), ("once", &first)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let result = ended(&a, &place).await;
    assert!(result.contains("L’import est fait."), "{result}");
    assert_eq!(count(&result, "count-created"), "2");
    assert!(result.contains("id=\"error-file\""), "{result}");
    assert!(
        !result.contains("id=\"apply-valid\""),
        "nothing left to offer"
    );
    assert_eq!(logins(&s, &admin, "petitun").await, 1);
    assert_eq!(logins(&s, &admin, "rouxun").await, 1);
    assert_eq!(logins(&s, &admin, "garnierun").await, 0);
    let errors = s
        .get(
            &format!("/api/v1/imports/{}/errors?format=csv", import_id(&place)),
            &admin,
        )
        .await;
    assert_eq!(errors.status, StatusCode::OK);
    let text = errors.body.as_str().unwrap_or_default().to_string();
    assert!(text.contains("pas-une-adresse"), "{text}");
    assert!(!text.contains("un.marc@example.org"), "{text}");
    // Sent again (a double click): the same result, not a second import.
    let (status, again, _) = post(&a, &action, &[("csrf", CSRF), ("once", &first)]).await;
    assert_eq!((status, again), (StatusCode::SEE_OTHER, place));

    // A confirmation refused for its faulty row offers the valid rows, with its invitation
    // choice kept.
    let preview = upload(&a, &members("deux")).await;
    ended(&a, &preview).await;
    let id = import_id(&preview).to_string();
    let (status, place, _) = post(
        &a,
        &format!("/import/{id}/apply"),
        &[
            ("csrf", CSRF),
            ("once", &once("a-2")),
            ("send_invitations", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(place.ends_with("?invite=on"), "{place}");
    let refused = ended(&a, &place).await;
    assert!(refused.contains("Rien n’a été écrit"), "{refused}");
    assert_eq!(logins(&s, &admin, "petitdeux").await, 0);
    let refused_id = import_id(&place).to_string();
    assert!(
        refused.contains(&format!("action=\"/import/{refused_id}/apply-valid\"")),
        "{refused}"
    );
    assert!(
        refused.contains("id=\"send_invitations\" checked"),
        "the invitation choice kept: {refused}"
    );
    let (status, place, _) = post(
        &a,
        &format!("/import/{refused_id}/apply-valid"),
        &[
            ("csrf", CSRF),
            ("once", &once("a-3")),
            ("send_invitations", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let result = ended(&a, &place).await;
    assert!(result.contains("L’import est fait."), "{result}");
    let marc = s.get("/api/v1/users?q=petitdeux", &admin).await;
    assert_eq!(marc.body["items"][0]["status"], "invited", "{}", marc.body);
    assert_eq!(logins(&s, &admin, "garnierdeux").await, 0);
    s.stop().await;
}
on_every_database!(
    the_valid_rows_of_a_refused_import_are_imported_on_every_database,
    the_valid_rows_are_imported
);
