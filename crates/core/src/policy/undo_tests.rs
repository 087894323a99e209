//! Who may undo an import, over whom: one table.

use super::super::plan::{Before, Wanted, WantedRole};
use super::super::{Actor, Grant, Scope};
use crate::permission::{Permission as P, PermissionSet};
use crate::user::Status;

fn role(id: &str, perms: PermissionSet, scope: Scope) -> Grant {
    Grant {
        role_id: id.into(),
        permissions: perms,
        scope,
    }
}

fn member() -> Grant {
    role(
        "member",
        PermissionSet::of(&[P::ViewUsers]),
        Scope::Organisation,
    )
}

fn admin() -> Grant {
    role("admin", PermissionSet::ALL, Scope::Organisation)
}

/// An importer who may create, edit and give roles, but not the audit right (so not the
/// administrator's role).
fn importer() -> Vec<Grant> {
    vec![role(
        "importer",
        PermissionSet::ALL.without(P::ReadAudit),
        Scope::Organisation,
    )]
}

fn coordinator_of(group: &str) -> Vec<Grant> {
    vec![role(
        "coordinator",
        PermissionSet::ALL,
        Scope::Group(group.into()),
    )]
}

/// (who, their grants, undoing "create" of someone holding these grants in group `g`, or
/// "update" taking back these grants, or "activation": the same and their imported password,
/// the answer).
type Case = (
    &'static str,
    Vec<Grant>,
    &'static str,
    Vec<Grant>,
    Result<(), &'static str>,
);

#[test]
fn who_may_undo_whom() {
    let in_g = vec!["g".to_string()];
    let cases: Vec<Case> = vec![
        (
            "admin, a member created",
            vec![admin()],
            "create",
            vec![member()],
            Ok(()),
        ),
        (
            "admin, an admin created",
            vec![admin()],
            "create",
            vec![admin()],
            Ok(()),
        ),
        (
            "importer, a member created",
            importer(),
            "create",
            vec![member()],
            Ok(()),
        ),
        (
            "importer, someone created who is an administrator now",
            importer(),
            "create",
            vec![admin()],
            Err("permission.role_outranks"),
        ),
        (
            "importer, a member's role taken back",
            importer(),
            "update",
            vec![member()],
            Ok(()),
        ),
        (
            "importer, an administrator's role taken back",
            importer(),
            "update",
            vec![admin()],
            Err("permission.target_outranks"),
        ),
        (
            "admin, an activation by an imported password taken back",
            vec![admin()],
            "activation",
            vec![member()],
            Ok(()),
        ),
        (
            "importer (no right to import hashes), an activation taken back",
            importer(),
            "activation",
            vec![member()],
            Err("permission.administrators_only"),
        ),
        (
            "coordinator of a group (no import right)",
            coordinator_of("g"),
            "create",
            vec![member()],
            Err("permission.missing"),
        ),
        (
            "nobody",
            vec![],
            "create",
            vec![],
            Err("permission.missing"),
        ),
    ];
    for (who, grants, kind, held, want) in cases {
        let actor = Actor::user("org", "actor", grants);
        let got = match kind {
            "create" => actor
                .may_undo_creation("p", &in_g, &held)
                .map(|p| assert!(p.is_for("org", "p"))),
            _ => {
                let now = Before {
                    status: Status::Active,
                    groups: &[],
                    grants: &held,
                };
                let wanted = Wanted {
                    roles: Some(Vec::<WantedRole>::new()),
                    groups: None,
                    invite: false,
                };
                if kind == "activation" {
                    actor.may_undo_activation("p", now, &wanted)
                } else {
                    actor.may_undo_update("p", now, &wanted)
                }
                .map(|plan| assert_eq!(plan.revoke.len(), held.len()))
            }
        };
        let got = got.map_err(|r| match r {
            super::super::plan::Refusal::Denied(d) => d.code(),
            super::super::plan::Refusal::Role { denied, .. } => denied.code(),
            super::super::plan::Refusal::Requires { .. } => "role.requires",
        });
        assert_eq!(got, want, "{who}");
    }
    assert!(
        Actor::operator("org")
            .may_undo_creation("p", &[], &[admin()])
            .is_ok()
    );
}
