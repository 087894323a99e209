//! The delegation table: for every preset role of every profile, what its holder may and may
//! not do. A change to a preset or to the policy shows up here as a changed line.

use super::*;
use crate::org::Profile;
use crate::preset::{RolePreset, presets};

fn grant(p: &RolePreset, scope: Scope) -> Grant {
    Grant {
        role_id: p.key.to_string(),
        permissions: p.permissions,
        scope,
    }
}

fn subject<'a>(id: &'a str, groups: &'a [String], grants: &'a [Grant]) -> Subject<'a> {
    Subject {
        user_id: id,
        groups,
        grants,
    }
}

/// What the holder of `role` (organisation-wide) may do, as short words.
fn capabilities(profile: Profile, role: &RolePreset) -> Vec<String> {
    let actor = Actor::user("actor", vec![grant(role, Scope::Organisation)]);
    let admin = presets(profile).iter().find(|p| p.key == "admin").unwrap();
    let admin_grants = [grant(admin, Scope::Organisation)];
    let member = subject("member", &[], &[]);
    let other_admin = subject("other-admin", &[], &admin_grants);
    let mut out: Vec<String> = Vec::new();
    let mut check = |name: &str, ok: bool| {
        if ok {
            out.push(name.to_string());
        }
    };
    check("list", actor.may_list_users().is_ok());
    check("create", actor.may_create(&[]).is_ok());
    check("edit", actor.may_edit(&member).is_ok());
    check("disable", actor.may_disable(&member).is_ok());
    check("delete", actor.may_delete(&member).is_ok());
    check("invite", actor.may_invite(&member).is_ok());
    check("edit-admin", actor.may_edit(&other_admin).is_ok());
    check("groups", actor.may_manage_groups().is_ok());
    check("roles", actor.may_define_role(PermissionSet::EMPTY).is_ok());
    check("settings", actor.may_change_settings().is_ok());
    check("audit", actor.may_read_audit().is_ok());
    check("import", actor.may_import().is_ok());
    check("export", actor.may_export().is_ok());
    for other in presets(profile) {
        let rights = RoleRights {
            role_id: other.key.to_string(),
            permissions: other.permissions,
        };
        check(
            &format!("grant:{}", other.key),
            actor
                .may_change_role(&rights, &Scope::Organisation, &member)
                .is_ok(),
        );
    }
    out
}

const ALL_ACTIONS: &str =
    "list create edit disable delete invite edit-admin groups roles settings audit import export";

#[test]
fn every_preset_role_may_do_exactly_this() {
    let table: &[(Profile, &str, &str)] = &[
        (Profile::Amap, "admin", "*"),
        (
            Profile::Amap,
            "amap_manager",
            "list create edit disable delete invite groups audit import export \
             grant:amap_manager grant:coordinator grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "coordinator",
            "list create edit disable invite groups import export \
             grant:coordinator grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "treasurer",
            "list create edit invite export grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "producer_referent",
            "list create invite grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "producer",
            "list create invite grant:producer grant:member",
        ),
        (Profile::Amap, "member", ""),
        (Profile::Daycare, "admin", "*"),
        (
            Profile::Daycare,
            "manager",
            "list create edit disable invite groups audit import export \
             grant:manager grant:educator grant:mobile_access grant:communication_book grant:logbook",
        ),
        (Profile::Daycare, "educator", "list"),
        (Profile::Daycare, "mobile_access", ""),
        (Profile::Daycare, "communication_book", ""),
        (Profile::Daycare, "logbook", ""),
        (Profile::Generic, "admin", "*"),
        (
            Profile::Generic,
            "manager",
            "list create edit disable invite groups audit import export grant:manager grant:member",
        ),
        (Profile::Generic, "member", ""),
    ];
    for profile in Profile::ALL {
        for role in presets(profile) {
            let Some((_, _, want)) = table
                .iter()
                .find(|(p, k, _)| *p == profile && *k == role.key)
            else {
                panic!("the table has no line for {profile}/{}", role.key);
            };
            let want: Vec<String> = if *want == "*" {
                let mut all: Vec<String> = ALL_ACTIONS.split(' ').map(String::from).collect();
                all.extend(presets(profile).iter().map(|p| format!("grant:{}", p.key)));
                all
            } else {
                want.split_whitespace().map(String::from).collect()
            };
            assert_eq!(capabilities(profile, role), want, "{profile}/{}", role.key);
        }
    }
}

#[test]
fn a_group_scoped_role_covers_that_group_only() {
    let coordinator = presets(Profile::Amap)
        .iter()
        .find(|p| p.key == "coordinator")
        .unwrap();
    let member = presets(Profile::Amap)
        .iter()
        .find(|p| p.key == "member")
        .unwrap();
    let admin = presets(Profile::Amap)
        .iter()
        .find(|p| p.key == "admin")
        .unwrap();
    let g = "lilas".to_string();
    let actor = Actor::user("actor", vec![grant(coordinator, Scope::Group(g.clone()))]);
    let in_g = [g.clone()];
    let elsewhere = ["autre".to_string()];
    let no_grants: [Grant; 0] = [];

    assert!(actor.may_create(std::slice::from_ref(&g)).is_ok());
    assert_eq!(
        actor.may_create(&[]).unwrap_err(),
        Denied::Missing(Permission::CreateUsers)
    );
    assert!(actor.may_create(&elsewhere).is_err());
    assert!(actor.may_edit(&subject("a", &in_g, &no_grants)).is_ok());
    assert!(
        actor
            .may_edit(&subject("b", &elsewhere, &no_grants))
            .is_err()
    );
    assert_eq!(
        actor.may_list_users().unwrap().1,
        Visibility::Groups(vec![g.clone()])
    );

    let rights = RoleRights {
        role_id: "member".into(),
        permissions: member.permissions,
    };
    let s = subject("a", &in_g, &no_grants);
    assert!(
        actor
            .may_change_role(&rights, &Scope::Group(g.clone()), &s)
            .is_ok()
    );
    assert!(
        actor
            .may_change_role(&rights, &Scope::Organisation, &s)
            .is_err()
    );

    // A member of the group who is an administrator elsewhere is out of reach.
    let admin_elsewhere = [grant(admin, Scope::Group("autre".into()))];
    let strong = subject("c", &in_g, &admin_elsewhere);
    assert!(matches!(
        actor.may_edit(&strong),
        Err(Denied::TargetOutranks(_))
    ));
}

#[test]
fn self_service_and_the_operator() {
    let member = Actor::user("me", vec![]);
    let none: [Grant; 0] = [];
    assert!(member.may_view(&subject("me", &[], &none)).is_ok());
    assert!(member.may_edit(&subject("me", &[], &none)).is_ok());
    assert!(member.may_view(&subject("you", &[], &none)).is_err());
    assert!(member.may_issue_token(&subject("me", &[], &none)).is_ok());
    assert!(member.may_issue_token(&subject("you", &[], &none)).is_err());
    let op = Actor::operator();
    assert!(op.may_issue_token(&subject("you", &[], &none)).is_ok());
    assert!(op.may_define_role(PermissionSet::ALL).is_ok());
}

#[test]
fn administrators_hold_everything_organisation_wide() {
    let admin = presets(Profile::Generic)[0];
    assert!(is_administrator(&[grant(&admin, Scope::Organisation)]));
    assert!(!is_administrator(&[grant(
        &admin,
        Scope::Group("g".into())
    )]));
    let manager = presets(Profile::Generic)[1];
    assert!(!is_administrator(&[grant(&manager, Scope::Organisation)]));
}

#[test]
fn capped_actor_keeps_only_the_cap() {
    let admin = presets(Profile::Generic)[0];
    let actor = Actor::user("me", vec![grant(&admin, Scope::Organisation)])
        .capped(PermissionSet::of(&[Permission::ViewUsers]));
    assert!(actor.may_list_users().is_ok());
    assert!(actor.may_create(&[]).is_err());
}
