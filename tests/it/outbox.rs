//! The outbox's storage: messages queued in a transaction are claimed by one worker at a time,
//! come back when a worker's lease runs out, and keep their state and reason.

use crate::harness::{Db, Server};
use crate::on_every_database;
use sesame_core::Profile;
use sesame_store::outbox::{self, OutboxRow};

fn message(org_id: &str, n: i64, due: i64) -> OutboxRow {
    OutboxRow {
        id: format!("01a2-{n:04}"),
        org_id: org_id.into(),
        kind: "invitation".into(),
        user_id: None,
        recipient: format!("p{n}@example.org"),
        language: "fr".into(),
        params_json: "{}".into(),
        state: "queued".into(),
        attempts: 0,
        next_attempt_at: due,
        claimed_until: None,
        last_error: None,
        created_at: due,
        sent_at: None,
    }
}

async fn messages_are_claimed_once_and_kept(db: &Db) {
    let s = Server::start(db).await;
    let _ = s.init(Profile::Generic).await;
    let org = s.app.org(None).await.expect("org");
    let store = &s.app.store;
    let now = sesame_store::now_ms();
    let mut tx = store.begin().await.expect("tx");
    for n in 0..6 {
        outbox::enqueue(&mut tx, &message(org.id(), n, now - 1000 + n))
            .await
            .expect("enqueue");
    }
    // Not due yet.
    outbox::enqueue(&mut tx, &message(org.id(), 99, now + 60_000))
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");

    // Two workers at once never take the same message.
    let (a, b) = tokio::join!(
        outbox::claim_due(store, now, 30_000, 4),
        outbox::claim_due(store, now, 30_000, 4)
    );
    let (a, b) = (a.expect("claim a"), b.expect("claim b"));
    let mut ids: Vec<&str> = a.iter().chain(&b).map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 6, "{a:?} {b:?}");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "a message was claimed twice");
    assert!(!ids.contains(&"01a2-0099"));
    assert!(
        outbox::claim_due(store, now, 30_000, 10)
            .await
            .expect("claim")
            .is_empty()
    );

    // Delivered, retried later, failed for good.
    let mut conn = store.read().await.expect("conn");
    outbox::mark_sent(&mut conn, "01a2-0000", now)
        .await
        .expect("sent");
    outbox::mark_attempt_failed(
        &mut conn,
        "01a2-0001",
        "connection refused",
        Some(now + 5_000),
    )
    .await
    .expect("retry");
    outbox::mark_attempt_failed(&mut conn, "01a2-0002", "550 no such mailbox", None)
        .await
        .expect("failed");
    let sent = outbox::get(&mut conn, org.id(), "01a2-0000")
        .await
        .expect("get")
        .expect("row");
    assert_eq!((sent.state.as_str(), sent.attempts), ("sent", 1));
    let retry = outbox::get(&mut conn, org.id(), "01a2-0001")
        .await
        .expect("get")
        .expect("row");
    assert_eq!(retry.state, "queued");
    assert_eq!(retry.next_attempt_at, now + 5_000);
    assert_eq!(retry.last_error.as_deref(), Some("connection refused"));
    let failed = outbox::get(&mut conn, org.id(), "01a2-0002")
        .await
        .expect("get")
        .expect("row");
    assert_eq!(failed.state, "failed");
    drop(conn);

    // A crashed worker's lease runs out: its messages are taken again, the retry when due.
    let later = now + 31_000;
    let again = outbox::claim_due(store, later, 30_000, 10)
        .await
        .expect("claim");
    let mut again: Vec<&str> = again.iter().map(|m| m.id.as_str()).collect();
    again.sort();
    assert_eq!(again, ["01a2-0001", "01a2-0003", "01a2-0004", "01a2-0005"]);

    // An administrator resends the failed one; the list shows newest first.
    let mut conn = store.read().await.expect("conn");
    assert!(
        outbox::requeue(&mut conn, org.id(), "01a2-0002", later)
            .await
            .expect("requeue")
    );
    assert!(
        !outbox::requeue(&mut conn, "other-org", "01a2-0002", later)
            .await
            .expect("requeue")
    );
    let page = outbox::list(&mut conn, org.id(), None, None, 3)
        .await
        .expect("list");
    let ids: Vec<&str> = page.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["01a2-0099", "01a2-0005", "01a2-0004"]);
    let next = outbox::list(&mut conn, org.id(), None, Some("01a2-0004"), 10)
        .await
        .expect("list");
    assert_eq!(next.len(), 4);
    // By state, in the database: only the sent one, then (after the cursor) none.
    let sent = outbox::list(&mut conn, org.id(), Some("sent"), None, 10)
        .await
        .expect("list");
    let ids: Vec<&str> = sent.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["01a2-0000"]);
    let after = outbox::list(&mut conn, org.id(), Some("sent"), Some("01a2-0000"), 10)
        .await
        .expect("list");
    assert!(after.is_empty());
    drop(conn);
    s.stop().await;
}

on_every_database!(
    outbox_messages_are_claimed_once_and_kept,
    messages_are_claimed_once_and_kept
);

async fn links_are_single_use_and_replace_each_other(db: &Db) {
    use sesame_store::links::{self, LinkRow};
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let me = s.get("/api/v1/me", &admin).await;
    let user_id = me.body["user"]["id"].as_str().expect("id").to_string();
    let org = s.app.org(None).await.expect("org");
    let now = sesame_store::now_ms();
    let link = |id: &str, kind: &str, at: i64| LinkRow {
        id: id.into(),
        org_id: org.id().into(),
        user_id: user_id.clone(),
        kind: kind.into(),
        new_email: None,
        created_at: at,
        expires_at: at + 3_600_000,
        used_at: None,
        cancelled_at: None,
    };
    let mut tx = s.app.store.begin().await.expect("tx");
    links::replace(&mut tx, &link("l1", "password_reset", now), "h1")
        .await
        .expect("l1");
    links::replace(&mut tx, &link("l2", "invitation", now), "h2")
        .await
        .expect("l2");
    // A second reset link cancels the first, not the invitation.
    links::replace(&mut tx, &link("l3", "password_reset", now + 1), "h3")
        .await
        .expect("l3");
    tx.commit().await.expect("commit");
    let mut conn = s.app.store.read().await.expect("conn");
    let first = links::by_hash(&mut conn, "h1")
        .await
        .expect("get")
        .expect("row");
    assert!(first.cancelled_at.is_some());
    assert!(
        !links::use_once(&mut conn, "l1", now + 2)
            .await
            .expect("use")
    );
    assert!(
        links::use_once(&mut conn, "l2", now + 2)
            .await
            .expect("use")
    );
    assert!(
        !links::use_once(&mut conn, "l2", now + 3)
            .await
            .expect("use"),
        "single use"
    );
    // Expired.
    assert!(
        !links::use_once(&mut conn, "l3", now + 3_600_002)
            .await
            .expect("use")
    );
    assert!(
        links::use_once(&mut conn, "l3", now + 5)
            .await
            .expect("use")
    );
    assert!(
        links::by_hash(&mut conn, "nope")
            .await
            .expect("get")
            .is_none()
    );
    drop(conn);
    s.stop().await;
}

on_every_database!(
    single_use_links_replace_each_other,
    links_are_single_use_and_replace_each_other
);

/// Many invitations at once (an import): more rows than one statement takes, the acting
/// administrator's signature in each, nothing for a person without an address.
async fn many_messages_are_queued_at_once(db: &Db) {
    let s = Server::start(db).await;
    let admin_token = s.init(Profile::Amap).await;
    let sig = s
        .call(
            reqwest::Method::PUT,
            "/api/v1/account/signature",
            Some(&admin_token),
            Some(serde_json::json!({"signature": "Marie, coordinatrice"})),
        )
        .await;
    assert_eq!(sig.status, reqwest::StatusCode::OK, "{}", sig.body);
    let org = s.app.org(None).await.expect("org");
    let store = &s.app.store;
    let mut conn = store.read().await.expect("conn");
    let admin = sesame_store::users::by_login(&mut conn, org.id(), "admin")
        .await
        .expect("read")
        .expect("admin");
    drop(conn);
    let now = sesame_store::now_ms();
    let people: Vec<sesame_store::users::UserRow> = (0..620)
        .map(|n| sesame_store::users::UserRow {
            id: sesame_store::new_id(),
            org_id: org.id().into(),
            login: format!("p{n:03}"),
            email: (n != 7).then(|| format!("p{n:03}@example.org")),
            first_name: Some(format!("P{n}")),
            last_name: None,
            phone: None,
            language: if n % 2 == 0 { "fr" } else { "en" }.into(),
            address_line: None,
            postal_code: None,
            city: None,
            status: sesame_core::Status::Invited,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let mut tx = store.begin().await.expect("tx");
    for p in &people {
        let proof = sesame_core::policy::Actor::operator(&p.org_id)
            .may_create(&p.id, &[])
            .expect("the operator may create");
        sesame_store::users::insert(&mut tx, &proof, p, None)
            .await
            .expect("insert");
    }
    let by = sesame_app::Person::from(&admin);
    let letters: Vec<sesame_app::mail::Letter> = people
        .iter()
        .map(|p| sesame_app::mail::Letter::new(sesame_app::mail::Kind::Invitation, p).by(Some(&by)))
        .collect();
    let ids = sesame_app::mail::queue_all(&mut tx, store.backend(), &org, &letters)
        .await
        .expect("queue");
    tx.commit().await.expect("commit");
    assert_eq!(ids.len(), 620);
    assert!(ids[7].is_none(), "no address, no message");
    assert_eq!(ids.iter().flatten().count(), 619);
    let mut conn = store.read().await.expect("conn");
    let second = outbox::get(&mut conn, org.id(), ids[1].as_deref().expect("id"))
        .await
        .expect("get")
        .expect("message");
    assert_eq!(second.recipient, "p001@example.org");
    assert_eq!(second.language, "en");
    assert_eq!(second.state, "queued");
    assert!(
        second.params_json.contains("Marie, coordinatrice"),
        "{}",
        second.params_json
    );
    drop(conn);
    s.stop().await;
}
on_every_database!(
    many_invitations_are_queued_in_few_statements,
    many_messages_are_queued_at_once
);

/// The worker mints a batch's links at once: earlier live links of the same person and kind
/// are cancelled, and of two new ones in the batch the later wins.
async fn links_minted_together_replace_each_other(db: &Db) {
    use sesame_store::links::{self, LinkRow};
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let me = s.get("/api/v1/me", &admin).await;
    let user_id = me.body["user"]["id"].as_str().expect("id").to_string();
    let org = s.app.org(None).await.expect("org");
    let now = sesame_store::now_ms();
    let link = |id: &str, kind: &str| LinkRow {
        id: id.into(),
        org_id: org.id().into(),
        user_id: user_id.clone(),
        kind: kind.into(),
        new_email: None,
        created_at: now,
        expires_at: now + 3_600_000,
        used_at: None,
        cancelled_at: None,
    };
    let mut tx = s.app.store.begin().await.expect("tx");
    links::replace(&mut tx, &link("old", "password_reset"), "h0")
        .await
        .expect("old");
    let batch = vec![
        (link("a", "password_reset"), "ha".to_string()),
        (link("b", "invitation"), "hb".to_string()),
        (link("c", "password_reset"), "hc".to_string()),
    ];
    links::replace_all(&mut tx, s.app.store.backend(), &batch)
        .await
        .expect("batch");
    tx.commit().await.expect("commit");
    let mut conn = s.app.store.read().await.expect("conn");
    let mut live = std::collections::HashMap::new();
    for h in ["h0", "ha", "hb", "hc"] {
        let row = links::by_hash(&mut conn, h)
            .await
            .expect("get")
            .expect("row");
        live.insert(h, row.cancelled_at.is_none());
    }
    assert!(!live["h0"], "the earlier link is cancelled");
    assert!(!live["ha"], "the earlier of the batch is cancelled");
    assert!(live["hb"], "another kind stays");
    assert!(live["hc"], "the later of the batch wins");
    drop(conn);
    s.stop().await;
}
on_every_database!(
    links_minted_in_one_batch_replace_each_other,
    links_minted_together_replace_each_other
);
