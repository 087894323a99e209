//! What a second request may need, kept in the database (issue 20): the file an import's
//! preview read, waiting for its confirmation, and the forms' one-time values. On every
//! database; the story of two instances sharing them is `two_instances.rs`.

use crate::harness::{Db, Server};
use crate::on_every_database;
use sesame_app::auth::sessions::authenticate;
use sesame_core::Profile;
use sesame_store::now_ms;
use std::time::Duration;

async fn uploads_wait_for_their_owner_an_hour(db: &Db) {
    let s = Server::start(db).await;
    let admin_token = s.init(Profile::Generic).await;
    let (_, other_token) = s
        .user_with_roles(&admin_token, "zoe", serde_json::json!([]))
        .await;
    let admin = authenticate(&s.app, &admin_token, None, None)
        .await
        .expect("admin");
    let other = authenticate(&s.app, &other_token, None, None)
        .await
        .expect("other");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();

    // Kept for its owner only; taken once, exactly the bytes given.
    sesame_app::uploads::keep(&s.app, &admin, "imp-1", "membres.xlsx", &bytes)
        .await
        .expect("keep");
    assert!(
        sesame_app::uploads::has(&s.app, &admin, "imp-1")
            .await
            .expect("has")
    );
    assert!(
        !sesame_app::uploads::has(&s.app, &other, "imp-1")
            .await
            .expect("has")
    );
    assert!(
        sesame_app::uploads::take(&s.app, &other, "imp-1")
            .await
            .expect("take")
            .is_none(),
        "someone else's file is not given"
    );
    let (name, taken) = sesame_app::uploads::take(&s.app, &admin, "imp-1")
        .await
        .expect("take")
        .expect("the owner's file");
    assert_eq!(name, "membres.xlsx");
    assert_eq!(taken.as_ref(), bytes.as_slice());
    assert!(
        sesame_app::uploads::take(&s.app, &admin, "imp-1")
            .await
            .expect("take")
            .is_none(),
        "taken once"
    );

    // One per person: a new upload replaces the waiting one (and not another person's).
    sesame_app::uploads::keep(&s.app, &other, "imp-2", "a.csv", b"a")
        .await
        .expect("keep");
    sesame_app::uploads::keep(&s.app, &admin, "imp-3", "b.csv", b"b")
        .await
        .expect("keep");
    sesame_app::uploads::keep(&s.app, &admin, "imp-4", "c.csv", b"c")
        .await
        .expect("keep");
    assert!(
        !sesame_app::uploads::has(&s.app, &admin, "imp-3")
            .await
            .expect("has")
    );
    assert!(
        sesame_app::uploads::has(&s.app, &admin, "imp-4")
            .await
            .expect("has")
    );
    assert!(
        sesame_app::uploads::has(&s.app, &other, "imp-2")
            .await
            .expect("has")
    );

    // An hour and it is gone: never given, then deleted.
    let org = admin.org.id().to_string();
    let user = admin.user_id().expect("user").to_string();
    {
        let mut conn = s.app.store.read().await.expect("conn");
        let old = now_ms() - sesame_app::uploads::KEEP_MS - 1;
        sesame_store::pending_uploads::keep(&mut conn, &org, &user, "imp-5", "d.csv", b"d", old)
            .await
            .expect("keep");
    }
    assert!(
        !sesame_app::uploads::has(&s.app, &admin, "imp-5")
            .await
            .expect("has")
    );
    assert!(
        sesame_app::uploads::take(&s.app, &admin, "imp-5")
            .await
            .expect("take")
            .is_none()
    );
    sesame_app::uploads::forget_expired(&s.app)
        .await
        .expect("sweep");
    let mut conn = s.app.store.read().await.expect("conn");
    let left = sesame_store::pending_uploads::forget_before(&mut conn, now_ms() + 1)
        .await
        .expect("count");
    assert_eq!(
        left, 1,
        "only the other person's file was left (imp-5 was deleted)"
    );
    drop(conn);
    s.stop().await;
}
on_every_database!(
    uploads_wait_for_their_owner_an_hour_in_the_database,
    uploads_wait_for_their_owner_an_hour
);

async fn a_one_time_value_is_used_once(db: &Db) {
    let s = Server::start(db).await;
    s.init(Profile::Generic).await;
    let value = sesame_app::once::new();
    assert!(value.len() >= 32);
    assert_eq!(
        sesame_app::once::claim(&s.app, &value)
            .await
            .expect("claim"),
        None
    );
    // A second sending waits while the first runs, then goes where it went.
    let second = {
        let app = s.app.clone();
        let value = value.clone();
        tokio::spawn(async move { sesame_app::once::claim(&app, &value).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second sending waits");
    sesame_app::once::done(&s.app, &value, "/users/1")
        .await
        .expect("done");
    assert_eq!(
        second.await.expect("task").expect("claim"),
        Some("/users/1".to_string())
    );
    // A failed sending is forgotten: the same value may be sent again.
    let other = sesame_app::once::new();
    assert_eq!(
        sesame_app::once::claim(&s.app, &other)
            .await
            .expect("claim"),
        None
    );
    sesame_app::once::forget(&s.app, &other)
        .await
        .expect("forget");
    assert_eq!(
        sesame_app::once::claim(&s.app, &other)
            .await
            .expect("claim"),
        None
    );
    // No value, no protection (a form without one).
    assert_eq!(
        sesame_app::once::claim(&s.app, "").await.expect("claim"),
        None
    );
    assert_eq!(
        sesame_app::once::claim(&s.app, "").await.expect("claim"),
        None
    );
    s.stop().await;
}
on_every_database!(
    a_one_time_value_is_used_once_in_the_database,
    a_one_time_value_is_used_once
);
