//! An administrator sets another person's alerts and signature (seed 001: both tabs of the
//! file the administrator fills): only alerts that person may receive, only the organisation's
//! groups as a filter, a signature only where their roles allow one. The change is audited
//! (who changed whose, before → after), the person is told by e-mail in their language, and
//! they can still change their own. A coordinator limited to a group reaches no one outside it,
//! and a role they may not give is refused by name.

use crate::harness::{Db, Mail, Server, SmtpSink};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;

async fn put(s: &Server, path: &str, token: &str, body: Value) -> crate::harness::Answer {
    s.call(Method::PUT, path, Some(token), Some(body)).await
}

fn to<'a>(mails: &'a [Mail], address: &str) -> Vec<&'a Mail> {
    mails.iter().filter(|m| m.rcpt == [address]).collect()
}

async fn an_administrator_sets_someones_alerts_and_signature(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let mailer = sink.mailer();
    let s = Server::start_with(db, move |app| app.mailer = mailer).await;
    let admin = s.init(Profile::Amap).await;
    let g = s
        .post("/api/v1/groups", &admin, json!({"name": "Panier du mardi"}))
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    let (coord_id, coord) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Coordinateur"}]))
        .await;
    // Zoé reads English: what she is told comes in English.
    let lang = s
        .patch(
            &format!("/api/v1/users/{coord_id}"),
            &admin,
            json!({"language": "en"}),
        )
        .await;
    assert_eq!(lang.status, StatusCode::OK, "{}", lang.body);
    let (member_id, _) = s
        .user_with_roles(&admin, "paul", json!([{"role": "Amapien"}]))
        .await;
    let alerts = format!("/api/v1/users/{coord_id}/notifications");
    let signature = format!("/api/v1/users/{coord_id}/signature");

    // Only what Zoé may receive, and only the organisation's groups.
    let bad = put(
        &s,
        &alerts,
        &admin,
        json!({"alerts": [{"alert": "security", "enabled": true},
                          {"alert": "member_joined", "groups": ["Nulle part"]}]}),
    )
    .await;
    bad.problem(422, "alerts[0].alert", "alert.unknown");
    bad.problem(422, "alerts[1].groups[0]", "group.unknown");

    let set = put(
        &s,
        &alerts,
        &admin,
        json!({"alerts": [{"alert": "member_joined", "enabled": true, "groups": ["Panier du mardi"]}]}),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let joined = set.body["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["alert"] == "member_joined")
        .expect("member_joined")
        .clone();
    assert_eq!(joined["enabled"], true);
    assert_eq!(joined["groups"], json!(["Panier du mardi"]));
    assert_eq!(s.get(&alerts, &admin).await.body, set.body);

    let sig = put(
        &s,
        &signature,
        &admin,
        json!({"signature": "Zoé — coordinatrice"}),
    )
    .await;
    assert_eq!(sig.status, StatusCode::OK, "{}", sig.body);
    assert_eq!(
        s.get(&signature, &admin).await.body["signature"],
        "Zoé — coordinatrice"
    );
    // Paul's roles allow no signature: nothing to set for him.
    put(
        &s,
        &format!("/api/v1/users/{member_id}/signature"),
        &admin,
        json!({"signature": "Paul"}),
    )
    .await
    .problem(403, "", "permission.subject_lacks");

    // Zoé is told, in English, once for each change.
    let mails = sink.wait_for(2).await;
    let hers = to(&mails, "zoe@example.org");
    assert_eq!(hers.len(), 2, "{hers:#?}");
    assert!(hers.iter().all(|m| m.content_language == "en"));
    let subjects: Vec<&str> = hers.iter().map(|m| m.subject.as_str()).collect();
    assert!(
        subjects.contains(&"Your AMAP des Lilas alerts were changed")
            && subjects.contains(&"Your AMAP des Lilas signature was changed"),
        "{subjects:?}"
    );
    assert!(hers[0].text().contains("zoe"), "{}", hers[0].text());

    // Audited: who changed whose, before → after.
    let log = s
        .get("/api/v1/audit?action=notifications.update", &admin)
        .await;
    let item = &log.body["items"][0];
    assert_eq!(item["actor"], "admin");
    assert_eq!(item["target"], "zoe");
    assert_eq!(
        item["before"]["member_joined"],
        json!({"enabled": "default", "groups": []})
    );
    assert_eq!(
        item["after"]["member_joined"],
        json!({"enabled": true, "groups": ["Panier du mardi"]})
    );
    let log = s.get("/api/v1/audit?action=signature.update", &admin).await;
    let item = &log.body["items"][0];
    assert_eq!(item["actor"], "admin");
    assert_eq!(item["target"], "zoe");
    assert_eq!(item["before"], json!({"signature": ""}));
    assert_eq!(item["after"], json!({"signature": "Zoé — coordinatrice"}));

    // Zoé can still change her own; nobody is told of one's own change.
    let own = put(
        &s,
        "/api/v1/account/notifications",
        &coord,
        json!({"alerts": [{"alert": "member_joined", "groups": null}]}),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let own = put(
        &s,
        "/api/v1/account/signature",
        &coord,
        json!({"signature": "Zoé"}),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(to(&sink.mails(), "zoe@example.org").len(), 2);

    // A coordinator of one group reaches no one outside it, and cannot give a role beyond
    // their rights: the refusal names the role and the group.
    let (_, mardi) = s
        .user_with_roles(
            &admin,
            "coord.mardi",
            json!([{"role": "Coordinateur", "group": "Panier du mardi"}]),
        )
        .await;
    put(&s, &alerts, &mardi, json!({"alerts": []}))
        .await
        .problem(403, "", "permission.missing");
    put(&s, &signature, &mardi, json!({"signature": "Pirate"}))
        .await
        .problem(403, "", "permission.missing");
    let above = s
        .post(
            "/api/v1/users",
            &mardi,
            json!({"login": "chef", "email": "chef@example.org", "groups": ["Panier du mardi"],
                   "roles": [{"role": "Responsable de l'AMAP", "group": "Panier du mardi"}]}),
        )
        .await;
    let msg = above.problem(403, "roles", "role.outranks");
    assert!(
        msg.contains("« Responsable de l'AMAP »") && msg.contains("« Panier du mardi »"),
        "{msg}"
    );
    s.stop().await;
}
on_every_database!(
    administrators_set_someones_alerts_and_signature,
    an_administrator_sets_someones_alerts_and_signature
);
