//! The planner: what a change grants and takes back, with which proofs, and what it refuses.

use super::*;
use crate::org::Profile;
use crate::permission::{Permission, PermissionSet};
use crate::preset::presets;

fn preset(profile: Profile, key: &str) -> PermissionSet {
    presets(profile)
        .iter()
        .find(|p| p.key == key)
        .unwrap()
        .permissions
}

fn grant(role: &str, permissions: PermissionSet, scope: Scope) -> Grant {
    Grant {
        role_id: role.into(),
        permissions,
        scope,
    }
}

fn wanted(g: &Grant) -> WantedRole {
    WantedRole {
        grant: g.clone(),
        requires: None,
    }
}

fn in_group(id: &str) -> Scope {
    Scope::Group(id.into())
}

fn admin() -> Actor {
    Actor::operator("org")
}

fn scopes(ps: &[Allowed<ChangeRole>]) -> Vec<(String, Scope)> {
    ps.iter()
        .map(|p| (p.role_id.clone(), p.scope.clone()))
        .collect()
}

#[test]
fn a_creation_joins_the_groups_of_its_roles_and_proves_each_grant() {
    let member = grant("member", preset(Profile::Amap, "member"), in_group("lilas"));
    let w = Wanted {
        roles: Some(vec![wanted(&member)]),
        groups: Some(vec!["bec".into()]),
        invite: true,
    };
    let p = plan(&admin(), "new", None, &w).unwrap();
    assert!(p.create.as_ref().is_some_and(|c| c.is_for("org", "new")));
    assert!(p.invite.is_some() && p.edit.is_none());
    assert_eq!(scopes(&p.grant), [("member".into(), in_group("lilas"))]);
    let joined: Vec<&str> = p.join.iter().map(|j| j.group_id.as_str()).collect();
    assert_eq!(joined, ["bec", "lilas"]);
    assert_eq!(p.groups, ["bec", "lilas"]);
    assert!(p.revoke.is_empty() && p.leave.is_empty() && !p.demotes_administrator);
}

#[test]
fn adding_a_role_keeps_the_scope_of_the_others() {
    let coordinator = grant(
        "coordinator",
        preset(Profile::Amap, "coordinator"),
        in_group("lilas"),
    );
    let member = grant(
        "member",
        preset(Profile::Amap, "member"),
        Scope::Organisation,
    );
    let groups = ["lilas".to_string()];
    let held = [coordinator.clone()];
    let before = Before {
        status: Status::Active,
        groups: &groups,
        grants: &held,
    };
    let w = Wanted {
        roles: Some(vec![wanted(&coordinator), wanted(&member)]),
        groups: None,
        invite: false,
    };
    let p = plan(&admin(), "zoe", Some(before), &w).unwrap();
    assert!(p.edit.is_some() && p.create.is_none());
    assert_eq!(scopes(&p.grant), [("member".into(), Scope::Organisation)]);
    assert!(p.revoke.is_empty() && p.join.is_empty() && p.leave.is_empty());
    assert!(
        p.grants.contains(&coordinator),
        "the first role keeps its group"
    );
}

#[test]
fn taking_back_one_scope_leaves_the_others_and_the_groups() {
    let referent = preset(Profile::Amap, "producer_referent");
    let in_a = grant("referent", referent, in_group("a"));
    let in_b = grant("referent", referent, in_group("b"));
    let groups = ["a".to_string(), "b".to_string()];
    let held = [in_a.clone(), in_b.clone()];
    let before = Before {
        status: Status::Active,
        groups: &groups,
        grants: &held,
    };
    let w = Wanted {
        roles: Some(vec![wanted(&in_a)]),
        groups: None,
        invite: false,
    };
    let p = plan(&admin(), "zoe", Some(before), &w).unwrap();
    assert_eq!(scopes(&p.revoke), [("referent".into(), in_group("b"))]);
    assert!(
        p.grant.is_empty() && p.leave.is_empty(),
        "still a member of b"
    );

    // Asked to leave b as well: the membership goes with the role.
    let w = Wanted {
        groups: Some(vec!["a".into()]),
        ..w
    };
    let p = plan(&admin(), "zoe", Some(before), &w).unwrap();
    let left: Vec<&str> = p.leave.iter().map(|l| l.group_id.as_str()).collect();
    assert_eq!(left, ["b"]);
    // A group cannot be left while a role is held in it: it stays.
    let w = Wanted {
        roles: None,
        groups: Some(vec!["a".into()]),
        invite: false,
    };
    let p = plan(&admin(), "zoe", Some(before), &w).unwrap();
    assert!(p.leave.is_empty());
}

#[test]
fn a_group_scoped_actor_plans_within_the_group_only() {
    let coordinator = preset(Profile::Amap, "coordinator");
    let member = preset(Profile::Amap, "member");
    let actor = Actor::user(
        "org",
        "coord",
        vec![grant("coordinator", coordinator, in_group("lilas"))],
    );
    let within = Wanted {
        roles: Some(vec![wanted(&grant("member", member, in_group("lilas")))]),
        groups: Some(vec!["lilas".into()]),
        invite: true,
    };
    assert!(plan(&actor, "new", None, &within).is_ok());
    let org_wide = Wanted {
        roles: Some(vec![wanted(&grant("member", member, Scope::Organisation))]),
        ..within.clone()
    };
    // The refusal names the role and where it was asked for.
    assert_eq!(
        plan(&actor, "new", None, &org_wide).unwrap_err(),
        Refusal::Role {
            role_id: "member".into(),
            scope: Scope::Organisation,
            denied: Denied::Missing(Permission::AssignRoles),
        }
    );
    let admin = grant("admin", PermissionSet::ALL, in_group("lilas"));
    let above = Wanted {
        roles: Some(vec![wanted(&admin)]),
        ..within.clone()
    };
    assert!(matches!(
        plan(&actor, "new", None, &above),
        Err(Refusal::Role { role_id, scope: Scope::Group(g), denied: Denied::RoleOutranks(_) })
            if role_id == "admin" && g == "lilas"
    ));
    let elsewhere = Wanted {
        roles: Some(vec![wanted(&grant("member", member, in_group("bec")))]),
        groups: Some(vec!["bec".into()]),
        invite: false,
    };
    assert!(matches!(
        plan(&actor, "new", None, &elsewhere),
        Err(Refusal::Denied(Denied::Missing(Permission::CreateUsers)))
    ));
    // Someone of another group cannot be changed at all.
    let groups = ["bec".to_string()];
    let before = Before {
        status: Status::Active,
        groups: &groups,
        grants: &[],
    };
    let w = Wanted {
        roles: Some(vec![]),
        ..Wanted::default()
    };
    assert!(matches!(
        plan(&actor, "other", Some(before), &w),
        Err(Refusal::Denied(Denied::Missing(Permission::EditUsers)))
    ));
}

#[test]
fn demoting_an_active_administrator_is_said() {
    let admin_role = grant("admin", PermissionSet::ALL, Scope::Organisation);
    let held = [admin_role];
    let w = Wanted {
        roles: Some(vec![]),
        ..Wanted::default()
    };
    for (status, said) in [
        (Status::Active, true),
        (Status::Invited, false),
        (Status::Disabled, false),
    ] {
        let before = Before {
            status,
            groups: &[],
            grants: &held,
        };
        let p = plan(&admin(), "boss", Some(before), &w).unwrap();
        assert_eq!(p.demotes_administrator, said, "{status}");
        assert_eq!(p.revoke.len(), 1);
    }
}

#[test]
fn a_role_comes_with_the_role_it_requires() {
    let logbook = WantedRole {
        grant: grant(
            "logbook",
            preset(Profile::Daycare, "logbook"),
            Scope::Organisation,
        ),
        requires: Some("manager".into()),
    };
    let manager = wanted(&grant(
        "manager",
        preset(Profile::Daycare, "manager"),
        in_group("lutins"),
    ));
    let alone = Wanted {
        roles: Some(vec![logbook.clone()]),
        ..Wanted::default()
    };
    assert_eq!(
        plan(&admin(), "new", None, &alone).unwrap_err(),
        Refusal::Requires {
            index: 0,
            role_id: "logbook".into(),
            required: "manager".into()
        }
    );
    let together = Wanted {
        roles: Some(vec![logbook, manager]),
        ..Wanted::default()
    };
    assert!(plan(&admin(), "new", None, &together).is_ok());
}

#[test]
fn nobody_is_changed_by_someone_they_outrank() {
    let manager = preset(Profile::Generic, "manager");
    let actor = Actor::user(
        "org",
        "m",
        vec![grant("manager", manager, Scope::Organisation)],
    );
    let held = [grant("admin", PermissionSet::ALL, Scope::Organisation)];
    let before = Before {
        status: Status::Active,
        groups: &[],
        grants: &held,
    };
    assert!(matches!(
        plan(&actor, "boss", Some(before), &Wanted::default()),
        Err(Refusal::Denied(Denied::TargetOutranks(_)))
    ));
}

#[test]
fn the_forms_offer_the_scopes_one_may_grant() {
    let coordinator = preset(Profile::Amap, "coordinator");
    let actor = Actor::user(
        "org",
        "c",
        vec![grant("coordinator", coordinator, in_group("lilas"))],
    );
    let member = RoleRights {
        role_id: "member".into(),
        permissions: preset(Profile::Amap, "member"),
    };
    let all = ["bec".to_string(), "lilas".to_string()];
    assert_eq!(grantable_scopes(&actor, &member, &all), [in_group("lilas")]);
    let admin_role = RoleRights {
        role_id: "admin".into(),
        permissions: PermissionSet::ALL,
    };
    assert!(grantable_scopes(&actor, &admin_role, &all).is_empty());
    assert_eq!(
        grantable_scopes(&admin(), &member, &all),
        [Scope::Organisation, in_group("bec"), in_group("lilas")]
    );
}
