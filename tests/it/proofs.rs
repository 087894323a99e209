//! The store writes to the target its proof names, and nothing else: a proof for someone else
//! (or another organisation) is refused, the guarded tables cannot be written in bulk around
//! their proofs, and a membership cannot end while it still carries a role. That a write needs
//! a proof at all is the compiler's (see the `compile_fail` example in `policy/proof.rs`).

use crate::harness::{Db, Server};
use crate::on_every_database;
use serde_json::json;
use sesame_core::policy::{Actor, Grant, Subject};
use sesame_store::StoreError;

fn subject(id: &str) -> Subject<'_> {
    Subject {
        user_id: id,
        groups: &[],
        grants: &[],
    }
}

async fn writes_only_the_target(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(sesame_core::Profile::Amap).await;
    let group = s
        .post("/api/v1/groups", &admin, json!({"name": "Les Lilas"}))
        .await;
    let group_id = group.body["id"].as_str().expect("group id").to_string();
    let (zoe, _) = s
        .user_with_roles(
            &admin,
            "zoe",
            json!([{"role": "Référent producteur", "group": "Les Lilas"}]),
        )
        .await;
    let (max, _) = s
        .user_with_roles(&admin, "max", json!([{"role": "Amapien"}]))
        .await;
    let org = s.app.org(None).await.expect("org");
    let operator = Actor::operator(org.id());
    let users_before = s.get("/api/v1/users", &admin).await.body.to_string();

    // A proof for Max cannot write Zoé's row, nor another organisation's.
    let for_max = operator.may_edit(&subject(&max)).expect("edit max");
    let mut tx = s.app.store.begin().await.expect("tx");
    let mut zoe_row = sesame_store::users::get(&mut tx, org.id(), &zoe)
        .await
        .expect("read")
        .expect("zoe");
    zoe_row.first_name = Some("Pirate".into());
    let e = sesame_store::users::update(&mut tx, &for_max, &zoe_row)
        .await
        .expect_err("a proof for Max writes Zoé");
    assert!(matches!(e, StoreError::NotTheTarget), "{e:?}");
    let elsewhere = Actor::operator("another-organisation")
        .may_edit(&subject(&zoe))
        .expect("edit in another organisation");
    let e = sesame_store::users::update(&mut tx, &elsewhere, &zoe_row)
        .await
        .expect_err("a proof of another organisation writes here");
    assert!(matches!(e, StoreError::NotTheTarget), "{e:?}");
    let new_id = sesame_store::new_id();
    let created = operator.may_create(&new_id, &[]).expect("create");
    let mut intruder = zoe_row.clone();
    intruder.id = sesame_store::new_id();
    intruder.login = "intrus".into();
    intruder.email = Some("intrus@example.org".into());
    let e = sesame_store::users::insert(&mut tx, &created, &intruder, None)
        .await
        .expect_err("a proof for one new person creates another");
    assert!(matches!(e, StoreError::NotTheTarget), "{e:?}");

    // The guarded tables are written in bulk only by the store's own functions, with proofs.
    use sesame_store::bulk::Value::{Int, Text};
    for (table, columns, row) in [
        (
            "role_assignments",
            &["org_id", "user_id", "role_id", "group_id", "created_at"][..],
            vec![
                Text(Some(org.id().into())),
                Text(Some(max.clone())),
                Text(Some("r".into())),
                Text(Some(String::new())),
                Int(Some(0)),
            ],
        ),
        (
            "memberships",
            &["org_id", "group_id", "user_id", "created_at"][..],
            vec![
                Text(Some(org.id().into())),
                Text(Some(group_id.clone())),
                Text(Some(max.clone())),
                Int(Some(0)),
            ],
        ),
    ] {
        let e = sesame_store::bulk::insert(&mut tx, s.app.store.backend(), table, columns, &[row])
            .await
            .expect_err("a bulk write around the proofs");
        assert!(matches!(e, StoreError::Guarded(t) if t == table), "{e:?}");
    }
    for table in sesame_store::bulk::GUARDED {
        let e = sesame_store::bulk::insert(&mut tx, s.app.store.backend(), table, &["id"], &[])
            .await
            .expect_err("guarded");
        assert!(matches!(e, StoreError::Guarded(_)), "{table}: {e:?}");
    }

    // Zoé's membership of Les Lilas still carries her role there: it cannot end first.
    let zoe_groups = [group_id.clone()];
    let none: [Grant; 0] = [];
    let leave = operator
        .may_change_membership(
            &group_id,
            &Subject {
                user_id: &zoe,
                groups: &zoe_groups,
                grants: &none,
            },
        )
        .expect("membership");
    let e = sesame_store::groups::remove_member(&mut tx, &leave)
        .await
        .expect_err("a membership ended under a role");
    assert!(matches!(e, StoreError::RolesLeft), "{e:?}");
    tx.rollback().await.expect("rollback");

    // Nothing of it landed.
    assert_eq!(
        s.get("/api/v1/users", &admin).await.body.to_string(),
        users_before
    );
    let zoe_now = s.get(&format!("/api/v1/users/{zoe}"), &admin).await.body;
    assert_eq!(
        zoe_now["roles"],
        json!([{"role": "Référent producteur", "group": "Les Lilas"}])
    );
    assert_eq!(zoe_now["groups"], json!(["Les Lilas"]));
    s.stop().await;
}
on_every_database!(
    the_store_writes_only_the_proofs_target,
    writes_only_the_target
);
