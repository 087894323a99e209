//! A spreadsheet upload that cannot be read is refused the same way by the API
//! (`POST /api/v1/imports`) and the import page (`POST /import`): on the field `file`, in the
//! person's language, for a form without its file, a body that broke off or is not a multipart
//! form at all, and a body larger than the limit (refused from its announced length, unread).

use crate::harness::{Answer, Db, Server};
use crate::on_every_database;
use crate::web_pages::{Browser, CSRF};
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BOUNDARY: &str = "sesame-test-boundary";

/// The file part of a multipart body.
enum File {
    /// No part named `file`.
    None,
    /// What a browser sends for a file input left empty: no file name, no content.
    Empty,
    /// The start of a file whose body never ends (no closing boundary): what a connection cut
    /// while sending leaves.
    CutOff,
}

/// A multipart body of text fields and a file part.
fn multipart(fields: &[(&str, &str)], file: File) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    let part = |file_name: &str| {
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\r\n"
        )
    };
    match file {
        File::None => body.push_str(&format!("--{BOUNDARY}--\r\n")),
        File::Empty => body.push_str(&format!("{}\r\n--{BOUNDARY}--\r\n", part(""))),
        File::CutOff => body.push_str(&format!("{}Courriel;Prénom\r\n", part("membres.csv"))),
    }
    body.into_bytes()
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Sends a request whose headers announce one byte more than the limit, with only the start of
/// its body, on a bare connection; the status and the body of the answer.
async fn announced_too_large(s: &Server, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let address = s.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
        multipart_type(),
        sesame_app::import::MAX_UPLOAD + 1
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("head");
    stream
        .write_all(&multipart(&[], File::CutOff))
        .await
        .expect("start");
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let answer = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let n = stream.read(&mut buf).await.expect("read");
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .expect("a content length");
                if body.len() >= length || n == 0 {
                    return (head.to_string(), body.to_string());
                }
            }
            assert!(n > 0, "the connection closed before an answer: {text}");
        }
    })
    .await
    .expect("an answer without waiting for the body");
    let status = answer
        .0
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status");
    (status, answer.1)
}

/// `POST /api/v1/imports` with `body`.
async fn api(s: &Server, token: &str, content_type: &str, body: Vec<u8>) -> Answer {
    let r = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    Answer::from(r).await
}

/// `POST /import` with `body`: the status and the page.
async fn page(b: &Browser<'_>, content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
    let r =
        b.s.http
            .post(format!("{}/import", b.s.base))
            .header("Cookie", &b.cookie)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload");
    (r.status(), r.text().await.expect("page"))
}

async fn refused_alike(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    // A second administrator who reads English.
    let (english_id, english) = s
        .user_with_roles(&admin, "gestion", json!([{"role": "Administrateur"}]))
        .await;
    let patched = s
        .patch(
            &format!("/api/v1/users/{english_id}"),
            &admin,
            json!({"language": "en"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let multi = multipart_type();

    // The API: a form without its file, or with the part of an empty file input.
    let body = multipart(&[("dry_run", "true")], File::None);
    let m = api(&s, &admin, &multi, body)
        .await
        .problem(400, "file", "upload.missing");
    assert!(m.starts_with("Fichier : aucun fichier"), "{m}");
    let body = multipart(&[], File::Empty);
    let m = api(&s, &english, &multi, body)
        .await
        .problem(400, "file", "upload.missing");
    assert!(m.starts_with("File: no file came"), "{m}");

    // A body cut off, and one that is no multipart form at all.
    let body = multipart(&[("dry_run", "true")], File::CutOff);
    let m = api(&s, &admin, &multi, body)
        .await
        .problem(400, "file", "upload.broken");
    assert!(m.contains("n’a pas pu être reçu"), "{m}");
    let body = b"{}".to_vec();
    let m = api(&s, &english, "application/json", body)
        .await
        .problem(400, "file", "upload.broken");
    assert!(m.contains("could not be received"), "{m}");

    // Larger than the limit.
    let bearer = format!("Bearer {admin}");
    let (status, body) =
        announced_too_large(&s, "/api/v1/imports", &[("Authorization", &bearer)]).await;
    assert_eq!(status, 413, "{body}");
    let problem: serde_json::Value = serde_json::from_str(&body).expect("problem+json");
    assert_eq!(problem["errors"][0]["field"], "file", "{problem}");
    assert_eq!(
        problem["errors"][0]["code"], "upload.too_large",
        "{problem}"
    );
    let m = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(m.contains("200 Mo au plus"), "{m}");

    // The page: the same refusals, shown on the form's file field.
    let fr = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let en = Browser::signed_in(&s, "gestion", crate::harness::USER_PASSWORD).await;
    let body = multipart(&[("csrf", CSRF)], File::Empty);
    let (status, html) = page(&fr, &multi, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("Fichier : aucun fichier n’est arrivé"),
        "{html}"
    );
    assert!(
        html.contains("aria-invalid=\"true\""),
        "the file field is marked: {html}"
    );
    let body = multipart(&[("csrf", CSRF)], File::CutOff);
    let (status, html) = page(&en, &multi, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("File: the file could not be received"),
        "{html}"
    );
    let body = b"csrf=x".to_vec();
    let (status, html) = page(&fr, "application/x-www-form-urlencoded", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("Fichier : le fichier n’a pas pu être reçu"),
        "{html}"
    );
    let (status, html) = announced_too_large(&s, "/import", &[("Cookie", &en.cookie)]).await;
    assert_eq!(status, 413, "{html}");
    assert!(
        html.contains("File: the file is too large (at most 200 MB)"),
        "{html}"
    );

    // Without its token first, the file is not read: the form is refused as from another site
    // (read, the cut-off file would have answered 400).
    let body = multipart(&[("csrf", "not-the-token")], File::CutOff);
    let (status, _) = page(&fr, &multi, body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    s.stop().await;
}
on_every_database!(
    an_upload_that_cannot_be_read_is_refused_alike,
    refused_alike
);
