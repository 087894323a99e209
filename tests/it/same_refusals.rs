//! One request type per input: the API reads `users::NewUser` and `users::UserChanges` from
//! JSON, the Add form and the Profile tab from their form, and hand them to the same
//! operation — so the same bad input meets the same refusals, every one at once, each on its
//! field, in the same words.

use crate::harness::{ADMIN_PASSWORD, Answer, Db, Server};
use crate::on_every_database;
use crate::web_pages::{Browser, CSRF, input};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;
use std::collections::BTreeSet;

/// `text` as the pages write it (askama's escaping).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The page refused as the API did: with its status, one line of the summary for each field
/// the API names and no other, each of the API's messages there, each field marked invalid.
fn refused_alike(api: &Answer, status: StatusCode, page: &str, at_least: usize) {
    assert_eq!(api.status, status, "{}", api.body);
    let errors = api.body["errors"].as_array().expect("errors");
    let fields: BTreeSet<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert!(
        fields.len() >= at_least,
        "several refusals at once: {fields:?}"
    );
    let summary = &page[page.find("id=\"form-errors\"").expect("a summary")..];
    let summary = &summary[..summary.find("</div>").expect("its end")];
    assert_eq!(summary.matches("<li>").count(), fields.len(), "{summary}");
    for e in errors {
        let (field, message) = (e["field"].as_str().unwrap(), e["message"].as_str().unwrap());
        assert!(
            summary.contains(&escaped(message)),
            "{message} in {summary}"
        );
        assert!(
            input(page, field).contains("aria-invalid=\"true\""),
            "{field} marked"
        );
    }
}

fn as_form(body: &Value) -> Vec<(&str, &str)> {
    let mut form = vec![("csrf", CSRF)];
    for (k, v) in body.as_object().expect("object") {
        form.push((k.as_str(), v.as_str().expect("text")));
    }
    form
}

async fn the_api_and_the_pages_refuse_alike(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let b = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let users_before = s.get("/api/v1/users", &admin).await.body["items"].clone();

    // A new person: a login with a space, an address without its domain, a phone too short, a
    // postal code too long, the required last name left empty.
    let new = json!({
        "first_name": "Chloé",
        "last_name": "",
        "email": "chloe.martin@",
        "login": "chloé martin",
        "phone": "12",
        "postal_code": "75001 75002 75003 75004 75005",
        "city": "Paris",
        "language": "fr",
    });
    let api = s
        .call_lang(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(new.clone()),
            Some("fr"),
        )
        .await;
    let (status, page) = b.post("/users/new", &as_form(&new)).await;
    refused_alike(&api, status, &page, 3);
    let users = s.get("/api/v1/users", &admin).await.body["items"].clone();
    assert_eq!(users, users_before, "nobody created");

    // Changes to someone: their last name emptied (required), a phone and a postal code
    // refused; the Profile tab sends every one of its fields, the API the same.
    let (id, _) = s
        .user_with_roles(&admin, "marie", json!([{"role": "Membre"}]))
        .await;
    let before = s.get(&format!("/api/v1/users/{id}"), &admin).await.body;
    let changes = json!({
        "first_name": "Marie",
        "last_name": "",
        "phone": "12",
        "address_line": "",
        "postal_code": "75001 75002 75003 75004 75005",
        "city": "Paris",
        "language": "fr",
    });
    let api = s
        .call_lang(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(changes.clone()),
            Some("fr"),
        )
        .await;
    let (status, page) = b
        .post(&format!("/users/{id}/profile"), &as_form(&changes))
        .await;
    refused_alike(&api, status, &page, 3);
    let after = s.get(&format!("/api/v1/users/{id}"), &admin).await.body;
    assert_eq!(after, before, "nothing changed");

    // The Sign-in tab: the login emptied (a login cannot be cleared) and an address without
    // its domain.
    let sign_in = json!({ "login": "", "email": "marie@" });
    let api = s
        .call_lang(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(sign_in.clone()),
            Some("fr"),
        )
        .await;
    let (status, page) = b
        .post(&format!("/users/{id}/login"), &as_form(&sign_in))
        .await;
    refused_alike(&api, status, &page, 2);
    let after = s.get(&format!("/api/v1/users/{id}"), &admin).await.body;
    assert_eq!(after, before, "nothing changed");
    s.stop().await;
}

on_every_database!(
    the_api_and_the_pages_refuse_the_same_input_alike,
    the_api_and_the_pages_refuse_alike
);
