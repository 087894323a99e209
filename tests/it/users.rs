//! An administrator manages users: create, read, search, page, edit, disable, enable, delete.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn create_read_search_and_page(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let g = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "Lieu de distribution Mairie", "kind": "lieu"}),
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);

    let a = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "  Zoe.Lefevre@Example.FR ", "first_name": "Zoé", "last_name": "Lefèvre", "phone": "06 12 34 56 78",
                   "roles": [{"role": "amapien"}, {"role": "Référent producteur", "group": "lieu de distribution mairie"}], "groups": [], "send_invitation": false}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_str().expect("id").to_string();
    assert_eq!(a.headers["location"], format!("/api/v1/users/{id}"));
    assert_eq!(a.body["login"], "zoe.lefevre");
    assert_eq!(a.body["email"], "zoe.lefevre@example.fr");
    assert_eq!(a.body["phone"], "+33612345678");
    assert_eq!(a.body["phone_national"], "06 12 34 56 78");
    assert_eq!(a.body["status"], "invited");
    assert_eq!(a.body["language"], "fr");
    let roles = a.body["roles"].as_array().expect("roles");
    assert_eq!(roles.len(), 2, "{}", a.body);
    assert!(
        roles.contains(&json!({"role": "Amapien", "group": null})),
        "{}",
        a.body
    );
    assert!(
        roles.contains(
            &json!({"role": "Référent producteur", "group": "Lieu de distribution Mairie"})
        ),
        "{}",
        a.body
    );
    assert_eq!(
        a.body["groups"],
        json!(["Lieu de distribution Mairie"]),
        "a group-scoped role makes one a member"
    );

    // The same names again get a numbered login; the same e-mail, whatever its case, is refused.
    let b = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "zoe2@example.fr", "first_name": "Zoé", "last_name": "Lefèvre"}),
        )
        .await;
    assert_eq!(b.body["login"], "zoe.lefevre2");
    let dup = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "ZOE.LEFEVRE@example.fr", "login": "autre"}),
        )
        .await;
    dup.problem(409, "email", "email.taken");
    let dup = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "autre@example.fr", "login": "zoe.lefevre"}),
        )
        .await;
    dup.problem(409, "login", "login.taken");

    let got = s.get(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["login"], "zoe.lefevre");

    for (i, (first, last)) in [
        ("Thị Minh", "Nguyễn"),
        ("François", "Garçon"),
        ("Jean-Pierre", "D'Artagnan"),
        ("Anaïs", "Lefèvre"),
    ]
    .iter()
    .enumerate()
    {
        let r = s.post("/api/v1/users", &admin, json!({"email": format!("p{i}@example.fr"), "first_name": first, "last_name": last})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // Accent- and case-blind search.
    let found = s.get("/api/v1/users?q=LEFEVRE", &admin).await;
    let logins: Vec<&str> = found.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert_eq!(logins, ["anais.lefevre", "zoe.lefevre", "zoe.lefevre2"]);
    let found = s.get("/api/v1/users?q=zo%C3%A9%20lef", &admin).await;
    let logins: Vec<&str> = found.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert_eq!(
        logins,
        ["zoe.lefevre", "zoe.lefevre2"],
        "every word must start a word of the user"
    );
    let found = s.get("/api/v1/users?q=NGUY", &admin).await;
    assert_eq!(found.body["items"][0]["login"], "thi-minh.nguyen");
    assert_eq!(
        found.body["items"][0]["last_name"], "Nguyễn",
        "names keep every letter"
    );
    let by_role = s
        .get("/api/v1/users?role=R%C3%A9f%C3%A9rent%20producteur", &admin)
        .await;
    assert_eq!(by_role.body["items"].as_array().map(Vec::len), Some(1));
    let by_group = s
        .get(
            "/api/v1/users?group=Lieu%20de%20distribution%20Mairie",
            &admin,
        )
        .await;
    assert_eq!(by_group.body["items"][0]["login"], "zoe.lefevre");
    let active = s.get("/api/v1/users?status=active", &admin).await;
    assert_eq!(
        active.body["items"].as_array().map(Vec::len),
        Some(1),
        "only the administrator is active"
    );

    // Paging: 7 users, pages of 3.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = s
            .get(&format!("/api/v1/users?limit=3&cursor={cursor}"), &admin)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        seen.extend(
            page.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|u| u["login"].as_str().unwrap_or("").to_string()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(
        seen, sorted,
        "pages follow login order without gaps or repeats"
    );
    s.stop().await;
}
on_every_database!(
    an_administrator_creates_finds_and_pages_users,
    create_read_search_and_page
);

async fn edit_disable_enable_delete(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let (id, token) = s
        .user_with_roles(&admin, "marie", json!([{"role": "Membre"}]))
        .await;

    let p = s
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"first_name": "Marie-Ève", "phone": "+1 (514) 555-1234", "language": "en"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["first_name"], "Marie-Ève");
    assert_eq!(p.body["phone"], "+15145551234");
    assert_eq!(p.body["language"], "en");
    // Clearing a field the organisation requires is refused.
    let p = s
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"last_name": null}),
        )
        .await;
    p.problem(422, "last_name", "field.required");
    // Roles are replaced as a whole.
    let p = s
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"roles": [{"role": "Gestionnaire"}]}),
        )
        .await;
    assert_eq!(
        p.body["roles"],
        json!([{"role": "Gestionnaire", "group": null}])
    );

    // The person edits their own profile without any right.
    let me = s
        .patch(
            &format!("/api/v1/users/{id}"),
            &token,
            json!({"city": "Montréal"}),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);

    let d = s
        .post(&format!("/api/v1/users/{id}/disable"), &admin, json!({}))
        .await;
    assert_eq!(d.body["status"], "disabled");
    // Disabling ends the person's sessions.
    let gone = s.get("/api/v1/me", &token).await;
    gone.problem(401, "", "auth.token_invalid");
    let refused = s
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": "marie", "password": crate::harness::USER_PASSWORD})),
        )
        .await;
    refused.problem(401, "", "auth.disabled");

    let e = s
        .post(&format!("/api/v1/users/{id}/enable"), &admin, json!({}))
        .await;
    assert_eq!(e.body["status"], "active");
    let _ = s.login("marie", crate::harness::USER_PASSWORD).await;

    let del = s
        .call(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    s.get(&format!("/api/v1/users/{id}"), &admin)
        .await
        .problem(404, "", "notfound.user");
    // Deleted means anonymised: the e-mail is free again, the audit trail still names the login.
    let again = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "marie@example.org", "first_name": "Marie", "last_name": "Nouvelle"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let audit = s
        .get(
            &format!("/api/v1/audit?target={id}&action=user.delete"),
            &admin,
        )
        .await;
    assert_eq!(audit.body["items"][0]["target"], "marie");
    assert_eq!(
        audit.body["items"][0]["before"]["email"],
        "marie@example.org"
    );
    s.stop().await;
}
on_every_database!(
    an_administrator_edits_disables_enables_and_deletes,
    edit_disable_enable_delete
);

async fn concurrent_creations_of_one_address(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let calls = (0..8).map(|i| {
        s.post(
            "/api/v1/users",
            &admin,
            json!({"email": "meme@example.fr", "login": format!("meme{i}")}),
        )
    });
    let answers = futures_join_all(calls).await;
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    let conflicts = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (created, conflicts),
        (1, 7),
        "one wins, the others get 409, never a 500"
    );
    s.stop().await;
}
on_every_database!(
    concurrent_creations_of_one_address_make_one_user,
    concurrent_creations_of_one_address
);

/// Polls the futures together, so their requests are in flight at once.
async fn futures_join_all<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    join_all(futs.map(Box::pin).collect()).await
}

async fn join_all<F: std::future::Future>(mut futs: Vec<std::pin::Pin<Box<F>>>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut results: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futs.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => results[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    results.into_iter().map(|r| r.expect("ready")).collect()
}

/// The counts by status of the users list: for everyone (counted on the status index) and for a
/// search (counted while matching), the same people, the deleted left out.
async fn counts_by_status(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let mut ids = Vec::new();
    for login in ["ines", "jules", "karim", "lucie"] {
        let u = s
            .post(
                "/api/v1/users",
                &admin,
                json!({"email": format!("{login}@example.org"), "login": login}),
            )
            .await;
        assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
        ids.push(u.body["id"].as_str().expect("id").to_owned());
    }
    let d = s
        .post(
            &format!("/api/v1/users/{}/disable", ids[0]),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let gone = s.delete(&format!("/api/v1/users/{}", ids[1]), &admin).await;
    assert!(gone.status.is_success(), "{}", gone.body);

    let who = sesame_app::auth::authenticate(&s.app, &admin, None, None)
        .await
        .expect("principal");
    let browse = |q: Option<&str>, status: Option<&str>| sesame_app::users::BrowseQuery {
        q: q.map(String::from),
        role: None,
        group: None,
        status: status.map(String::from),
        two_factor: None,
        sort: Default::default(),
        descending: false,
        page: 1,
        per_page: 50,
    };
    for q in [None, Some(""), Some("example")] {
        let all = sesame_app::users::browse(&s.app, &who, &browse(q, None))
            .await
            .expect("browse");
        let c = all.counts;
        assert_eq!(
            (c.invited, c.active, c.disabled, all.total),
            (2, 1, 1, 4),
            "q = {q:?}"
        );
        assert_eq!(all.items.len(), 4, "q = {q:?}");
        let invited = sesame_app::users::browse(&s.app, &who, &browse(q, Some("invited")))
            .await
            .expect("browse");
        assert_eq!((invited.total, invited.items.len()), (2, 2), "q = {q:?}");
    }
    // People added in bulk (as an import does) are counted too, whichever way.
    let org_id = who.org.id().to_string();
    let bulk: Vec<(sesame_store::users::UserRow, Option<String>)> = ["mona", "noe", "olga"]
        .iter()
        .map(|login| {
            let row = sesame_store::users::UserRow {
                id: sesame_store::new_id(),
                org_id: org_id.clone(),
                login: login.to_string(),
                email: Some(format!("{login}@example.org")),
                first_name: None,
                last_name: None,
                phone: None,
                language: "fr".into(),
                address_line: None,
                postal_code: None,
                city: None,
                status: if *login == "olga" {
                    sesame_core::Status::Active
                } else {
                    sesame_core::Status::Invited
                },
                created_at: 0,
                updated_at: 0,
            };
            (row, None)
        })
        .collect();
    insert_many(&s, &bulk).await;
    for q in [None, Some("example")] {
        let all = sesame_app::users::browse(&s.app, &who, &browse(q, None))
            .await
            .expect("browse");
        let c = all.counts;
        assert_eq!((c.invited, c.active, c.disabled), (4, 2, 1), "q = {q:?}");
    }
    s.stop().await;
}
on_every_database!(the_users_list_counts_people_by_status, counts_by_status);

/// Adds people in bulk, in one transaction, as an import does (created by the operator).
async fn insert_many(s: &Server, bulk: &[(sesame_store::users::UserRow, Option<String>)]) {
    let bulk: Vec<sesame_store::users::Created> = bulk
        .iter()
        .map(|(u, hash)| {
            let proof = sesame_core::policy::Actor::operator(&u.org_id)
                .may_create(&u.id, &[])
                .expect("the operator may create");
            (proof, u.clone(), hash.clone())
        })
        .collect();
    let mut tx = s.app.store.begin().await.expect("begin");
    sesame_store::users::insert_many(&mut tx, s.app.store.backend(), &bulk)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
}

/// The logins a search of the API's list finds, in order.
async fn found(s: &Server, admin: &str, q: &str) -> Vec<String> {
    let r = s
        .get(&format!("/api/v1/users?q={}", urlencode(q)), admin)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["login"].as_str().map(String::from))
        .collect()
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The search finds people by the start of any word of their login, e-mail or names, and
/// follows every write: a new name, a status, a deletion; the words of users written before
/// the word index existed are filled in when the database is opened.
async fn search_follows_every_write(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let mut ids = Vec::new();
    for (email, first, last) in [
        ("zoe@example.fr", "Zoé", "Lefèvre-Ngô"),
        ("marc@asso.org", "Marc", "Martin"),
        ("martine@asso.org", "Martine", "Dubois"),
        ("m.martin@asso.org", "Martin", "Martinez"),
    ] {
        let u = s
            .post(
                "/api/v1/users",
                &admin,
                json!({"email": email, "first_name": first, "last_name": last}),
            )
            .await;
        assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
        ids.push(u.body["id"].as_str().expect("id").to_owned());
    }
    assert_eq!(found(&s, &admin, "ngo").await, ["zoe.lefevre-ngo"]);
    assert_eq!(found(&s, &admin, "LEFÈVRE").await, ["zoe.lefevre-ngo"]);
    assert!(
        found(&s, &admin, "fevre").await.is_empty(),
        "only the starts of words are searched"
    );
    assert_eq!(
        found(&s, &admin, "mart").await,
        ["marc.martin", "martin.martinez", "martine.dubois"]
    );
    assert_eq!(found(&s, &admin, "martin asso").await.len(), 3);
    assert_eq!(
        found(&s, &admin, "martinez mart").await,
        ["martin.martinez"],
        "every word must start a word of the person"
    );
    assert_eq!(found(&s, &admin, "zzz").await, Vec::<String>::new());

    let who = sesame_app::auth::authenticate(&s.app, &admin, None, None)
        .await
        .expect("principal");
    let counts = |q: &'static str| {
        let (s, who) = (&s, &who);
        async move {
            let b = sesame_app::users::browse(
                &s.app,
                who,
                &sesame_app::users::BrowseQuery {
                    q: Some(q.into()),
                    page: 1,
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("browse");
            let c = b.counts;
            (c.invited, c.active, c.disabled)
        }
    };
    assert_eq!(
        counts("martin").await,
        (3, 0, 0),
        "Martin Martinez has two words starting with martin and counts once"
    );

    // A new name: found by it, no longer by the old one.
    let p = s
        .patch(
            &format!("/api/v1/users/{}", ids[1]),
            &admin,
            json!({"last_name": "Petit"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(found(&s, &admin, "petit").await, ["marc.martin"]);
    assert_eq!(
        found(&s, &admin, "martin").await,
        ["marc.martin", "martin.martinez", "martine.dubois"],
        "the login marc.martin still says martin"
    );
    assert_eq!(found(&s, &admin, "marc martin").await, ["marc.martin"]);
    let p = s
        .patch(
            &format!("/api/v1/users/{}", ids[2]),
            &admin,
            json!({"first_name": "Agathe"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(found(&s, &admin, "agathe").await, ["martine.dubois"]);

    // A status: the counts of a search follow it.
    let d = s
        .post(
            &format!("/api/v1/users/{}/disable", ids[3]),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(counts("martin").await, (2, 0, 1));
    // A deletion: no longer found.
    let gone = s.delete(&format!("/api/v1/users/{}", ids[3]), &admin).await;
    assert!(gone.status.is_success(), "{}", gone.body);
    assert_eq!(counts("martin").await, (2, 0, 0));
    assert!(found(&s, &admin, "martinez").await.is_empty());

    // A database from before the word index: keys as they were then, no words.
    {
        let mut conn = s.app.store.read().await.expect("conn");
        sqlx::query("DELETE FROM user_words")
            .execute(&mut *conn)
            .await
            .expect("delete words");
        sqlx::query("UPDATE users SET search = 'old key'")
            .execute(&mut *conn)
            .await
            .expect("old keys");
    }
    assert!(found(&s, &admin, "agathe").await.is_empty());
    s.stop().await;
    let s = Server::start(db).await;
    assert_eq!(found(&s, &admin, "agathe").await, ["martine.dubois"]);
    assert_eq!(found(&s, &admin, "zoe lef").await, ["zoe.lefevre-ngo"]);
    assert_eq!(
        found(&s, &admin, "martin").await,
        ["marc.martin", "martine.dubois"]
    );
    s.stop().await;
}
on_every_database!(the_search_follows_every_write, search_follows_every_write);

/// A search matching more people than are looked up one by one walks the list's order
/// instead (`LOOK_UP_AT_MOST`): the same people, in the same order, page after page.
async fn a_search_matching_many_walks_the_list(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let who = sesame_app::auth::authenticate(&s.app, &admin, None, None)
        .await
        .expect("principal");
    let org_id = who.org.id().to_string();
    // Twice as many, so that half of them match more than that too.
    let n = 2 * sesame_store::users::LOOK_UP_AT_MOST as usize + 200;
    let bulk: Vec<(sesame_store::users::UserRow, Option<String>)> = (0..n)
        .map(|i| {
            let login = format!("walker{i:05}");
            let row = sesame_store::users::UserRow {
                id: sesame_store::new_id(),
                org_id: org_id.clone(),
                email: Some(format!("{login}@durand.example")),
                login,
                first_name: Some(if i % 2 == 0 { "Anne" } else { "Paul" }.into()),
                last_name: Some("Durand".into()),
                phone: None,
                language: "fr".into(),
                address_line: None,
                postal_code: None,
                city: None,
                status: if i % 10 == 0 {
                    sesame_core::Status::Active
                } else {
                    sesame_core::Status::Invited
                },
                created_at: 0,
                updated_at: 0,
            };
            (row, None)
        })
        .collect();
    insert_many(&s, &bulk).await;
    let logins = |q: &dyn Fn(usize) -> bool| -> Vec<String> {
        (0..n)
            .filter(|i| q(*i))
            .map(|i| format!("walker{i:05}"))
            .collect()
    };

    // The API's list, page after page by its cursor.
    for (q, wanted) in [
        ("durand", logins(&|_| true)),
        ("anne durand", logins(&|i| i % 2 == 0)),
    ] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = s
                .get(
                    &format!("/api/v1/users?q={}&limit=500&cursor={cursor}", urlencode(q)),
                    &admin,
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            seen.extend(
                page.body["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .filter_map(|u| u["login"].as_str().map(String::from)),
            );
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen, wanted, "q = {q}");
    }

    // The pages' list: counts, and page 3 of 50, sorted by login and by name.
    let browse = |q: &str, sort, page| sesame_app::users::BrowseQuery {
        q: Some(q.into()),
        sort,
        page,
        per_page: 50,
        ..Default::default()
    };
    let b = sesame_app::users::browse(
        &s.app,
        &who,
        &browse("durand", sesame_store::users::Sort::Login, 3),
    )
    .await
    .expect("browse");
    let active = n as i64 / 10;
    assert_eq!(
        (b.counts.invited, b.counts.active),
        (n as i64 - active, active)
    );
    let page: Vec<&str> = b.items.iter().map(|u| u.login.as_str()).collect();
    assert_eq!(page, logins(&|_| true)[100..150]);
    let b = sesame_app::users::browse(
        &s.app,
        &who,
        &browse("paul durand", sesame_store::users::Sort::LastName, 1),
    )
    .await
    .expect("browse");
    assert_eq!(b.total, n as i64 / 2);
    let page: Vec<&str> = b.items.iter().map(|u| u.login.as_str()).collect();
    assert_eq!(page, logins(&|i| i % 2 == 1)[..50]);
    s.stop().await;
}
on_every_database!(
    a_search_matching_many_people_walks_the_list,
    a_search_matching_many_walks_the_list
);
