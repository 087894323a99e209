//! Delegation without escalation, through the API: the policy table of `sesame-core` holds for
//! every preset; here, the stories that cross the whole stack.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn coordinators_delegate(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let admin_id = s.get("/api/v1/me", &admin).await.body["user"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (_, coord) = s
        .user_with_roles(&admin, "coord", json!([{"role": "Coordinateur"}]))
        .await;

    // A coordinator adds a member and gives them a role within their rights…
    let m = s.post("/api/v1/users", &coord, json!({"email": "amapien@example.fr", "login": "amapien", "roles": [{"role": "Amapien"}]})).await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.body);
    let member_id = m.body["id"].as_str().expect("id").to_string();
    let t = s.post("/api/v1/users", &coord, json!({"email": "tresorier@example.fr", "login": "tresorier", "roles": [{"role": "Trésorier"}]})).await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);

    // …but cannot hand out what they lack, nor touch an administrator.
    let esc = s.post("/api/v1/users", &coord, json!({"email": "boss@example.fr", "login": "boss", "roles": [{"role": "Administrateur"}]})).await;
    let msg = esc.problem(403, "roles", "role.outranks");
    assert!(msg.contains("org.settings"), "names what is lacking: {msg}");
    assert!(msg.contains("Administrateur"), "names the role: {msg}");
    let esc = s
        .patch(
            &format!("/api/v1/users/{member_id}"),
            &coord,
            json!({"roles": [{"role": "Responsable de l'AMAP"}]}),
        )
        .await;
    esc.problem(403, "roles", "role.outranks");
    let esc = s
        .patch(
            &format!("/api/v1/users/{admin_id}"),
            &coord,
            json!({"first_name": "Pirate"}),
        )
        .await;
    esc.problem(403, "", "permission.target_outranks");
    s.post(
        &format!("/api/v1/users/{admin_id}/disable"),
        &coord,
        json!({}),
    )
    .await
    .problem(403, "", "permission.target_outranks");
    s.call(
        Method::DELETE,
        &format!("/api/v1/users/{member_id}"),
        Some(&coord),
        None,
    )
    .await
    .problem(403, "", "permission.missing");
    s.get("/api/v1/audit", &coord)
        .await
        .problem(403, "", "permission.missing");
    s.post(
        "/api/v1/roles",
        &coord,
        json!({"name": "Super", "permissions": ["users.view"]}),
    )
    .await
    .problem(403, "", "permission.missing");
    // A plain member may see only themselves.
    let (mid, member) = s
        .user_with_roles(&admin, "simple", json!([{"role": "Amapien"}]))
        .await;
    s.get("/api/v1/users", &member)
        .await
        .problem(403, "", "permission.missing");
    assert_eq!(
        s.get(&format!("/api/v1/users/{mid}"), &member).await.status,
        StatusCode::OK
    );
    s.get(&format!("/api/v1/users/{admin_id}"), &member)
        .await
        .problem(403, "", "permission.missing");
    s.stop().await;
}
on_every_database!(
    coordinators_delegate_only_what_they_hold,
    coordinators_delegate
);

async fn the_last_administrator_stays(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let admin_id = s.get("/api/v1/me", &admin).await.body["user"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    s.post(
        &format!("/api/v1/users/{admin_id}/disable"),
        &admin,
        json!({}),
    )
    .await
    .problem(409, "id", "user.self_disable");
    s.patch(
        &format!("/api/v1/users/{admin_id}"),
        &admin,
        json!({"roles": [{"role": "Membre"}]}),
    )
    .await
    .problem(409, "id", "user.last_admin");
    let roles = s.get("/api/v1/roles", &admin).await;
    let admin_role = roles
        .body
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["preset"] == "admin")
        .expect("admin role")["id"]
        .as_str()
        .expect("id")
        .to_string();
    s.call(
        Method::DELETE,
        &format!("/api/v1/roles/{admin_role}"),
        Some(&admin),
        None,
    )
    .await
    .problem(409, "id", "user.last_admin");

    // With a second administrator, the first may step down.
    let (second_id, second) = s
        .user_with_roles(&admin, "second", json!([{"role": "Administrateur"}]))
        .await;
    let p = s
        .patch(
            &format!("/api/v1/users/{admin_id}"),
            &admin,
            json!({"roles": [{"role": "Membre"}]}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    // Now the second is the last one: the first (no longer admin) cannot act on them.
    s.post(
        &format!("/api/v1/users/{second_id}/disable"),
        &admin,
        json!({}),
    )
    .await
    .problem(403, "", "permission.missing");
    s.post(
        &format!("/api/v1/users/{second_id}/disable"),
        &second,
        json!({}),
    )
    .await
    .problem(409, "id", "user.self_disable");
    s.stop().await;
}
on_every_database!(
    the_last_administrator_can_be_neither_disabled_nor_demoted,
    the_last_administrator_stays
);

async fn group_scoped_rights(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    for name in ["Installation Rosemont", "Installation Verdun"] {
        assert_eq!(
            s.post(
                "/api/v1/groups",
                &admin,
                json!({"name": name, "kind": "installation"})
            )
            .await
            .status,
            StatusCode::CREATED
        );
    }
    let (_, manager) = s
        .user_with_roles(
            &admin,
            "gestion.rosemont",
            json!([{"role": "Gestionnaire", "group": "Installation Rosemont"}]),
        )
        .await;
    let staff = |email: &str, group: &str| json!({"email": email, "first_name": "Léa", "last_name": "Tremblay", "phone": "(514) 555-0100", "groups": [group], "roles": [{"role": "Personnel éducateur", "group": group}]});
    let ok = s
        .post(
            "/api/v1/users",
            &manager,
            staff("lea@example.ca", "Installation Rosemont"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(
        ok.body["phone"], "+15145550100",
        "read in the organisation's country"
    );
    s.post(
        "/api/v1/users",
        &manager,
        staff("autre@example.ca", "Installation Verdun"),
    )
    .await
    .problem(403, "", "permission.missing");
    // The list shows the manager's facility only.
    let _ = s
        .post(
            "/api/v1/users",
            &admin,
            staff("verdun@example.ca", "Installation Verdun"),
        )
        .await;
    let list = s.get("/api/v1/users", &manager).await;
    let emails: Vec<&str> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    assert!(
        emails.contains(&"lea@example.ca") && !emails.contains(&"verdun@example.ca"),
        "{emails:?}"
    );
    // "Journal de bord" is for managers only.
    let lid = ok.body["id"].as_str().expect("id");
    s.patch(
        &format!("/api/v1/users/{lid}"),
        &admin,
        json!({"roles": [{"role": "Journal de bord"}]}),
    )
    .await
    .problem(409, "roles[0].role", "role.requires");
    let p = s
        .patch(
            &format!("/api/v1/users/{lid}"),
            &admin,
            json!({"roles": [{"role": "Journal de bord"}, {"role": "Gestionnaire"}]}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    s.stop().await;
}
on_every_database!(
    group_scoped_rights_cover_their_group_only,
    group_scoped_rights
);
