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
    let actor = Actor::user("org", "actor", vec![grant(role, Scope::Organisation)]);
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
    check("create", actor.may_create("new", &[]).is_ok());
    check("edit", actor.may_edit(&member).is_ok());
    check("disable", actor.may_disable(&member).is_ok());
    check("delete", actor.may_delete(&member).is_ok());
    check("invite", actor.may_invite(&member).is_ok());
    check("edit-admin", actor.may_edit(&other_admin).is_ok());
    check("groups", actor.may_manage_group("g").is_ok());
    check(
        "roles",
        actor.may_define_role("r", PermissionSet::EMPTY).is_ok(),
    );
    check("settings", actor.may_change_settings().is_ok());
    check("audit", actor.may_read_audit().is_ok());
    check("import", actor.may_import().is_ok());
    check("import-hashes", actor.may_import_password_hashes().is_ok());
    check("export", actor.may_export().is_ok());
    check("apps", actor.may_manage_app("a").is_ok());
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

const ALL_ACTIONS: &str = "list create edit disable delete invite edit-admin groups roles settings audit import import-hashes export apps";

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
    let actor = Actor::user(
        "org",
        "actor",
        vec![grant(coordinator, Scope::Group(g.clone()))],
    );
    let in_g = [g.clone()];
    let elsewhere = ["autre".to_string()];
    let no_grants: [Grant; 0] = [];

    assert!(actor.may_create("new", std::slice::from_ref(&g)).is_ok());
    assert_eq!(
        actor.may_create("new", &[]).unwrap_err(),
        Denied::Missing(Permission::CreateUsers)
    );
    assert!(actor.may_create("new", &elsewhere).is_err());
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

    // Alerts and signatures of others: whoever may edit them, within the group only; a
    // signature only for someone whose roles allow one.
    let alerts = actor.may_choose_alerts(&s).expect("a member of the group");
    assert!(alerts.is_for("org", "a"));
    assert_eq!(
        actor
            .may_choose_alerts(&subject("b", &elsewhere, &no_grants))
            .unwrap_err(),
        Denied::Missing(Permission::EditUsers)
    );
    assert!(matches!(
        actor.may_choose_alerts(&strong),
        Err(Denied::TargetOutranks(_))
    ));
    assert_eq!(
        actor.may_keep_signature_of(&s).unwrap_err(),
        Denied::SubjectLacks(Permission::EmailSignature)
    );
    let signer = RoleRights {
        role_id: "signer".into(),
        permissions: PermissionSet::EMPTY.with(Permission::EmailSignature),
    };
    let signs = [Grant {
        role_id: signer.role_id.clone(),
        permissions: signer.permissions,
        scope: Scope::Group(g.clone()),
    }];
    let proof = actor
        .may_keep_signature_of(&subject("d", &in_g, &signs))
        .expect("a signer of the group");
    assert!(proof.is_for("org", "d"));
    assert!(
        actor
            .may_keep_signature_of(&subject("e", &elsewhere, &signs))
            .is_err()
    );
}

#[test]
fn self_service_and_the_operator() {
    let member = Actor::user("org", "me", vec![]);
    let none: [Grant; 0] = [];
    assert!(member.may_view(&subject("me", &[], &none)).is_ok());
    assert!(member.may_edit(&subject("me", &[], &none)).is_ok());
    assert!(member.may_view(&subject("you", &[], &none)).is_err());
    assert!(member.may_issue_token(&subject("me", &[], &none)).is_ok());
    assert!(member.may_issue_token(&subject("you", &[], &none)).is_err());
    // One's own alerts without any right; another's, not.
    assert!(member.may_choose_alerts(&subject("me", &[], &none)).is_ok());
    assert!(
        member
            .may_choose_alerts(&subject("you", &[], &none))
            .is_err()
    );
    // One's own signature only with the signature permission.
    assert!(
        member
            .may_keep_signature_of(&subject("me", &[], &none))
            .is_err()
    );
    let op = Actor::operator("org");
    assert!(op.may_issue_token(&subject("you", &[], &none)).is_ok());
    assert!(op.may_define_role("r", PermissionSet::ALL).is_ok());
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
    let actor = Actor::user("org", "me", vec![grant(&admin, Scope::Organisation)])
        .capped(PermissionSet::of(&[Permission::ViewUsers]));
    assert!(actor.may_list_users().is_ok());
    assert!(actor.may_create("new", &[]).is_err());
}

/// What the holder of `role` within group `lilas` may do to a person of `lilas` (`inside`) and
/// to a person of another group (`outside`), as short words.
fn scoped_capabilities(profile: Profile, role: &RolePreset) -> (Vec<String>, Vec<String>) {
    let g = "lilas".to_string();
    let actor = Actor::user("org", "actor", vec![grant(role, Scope::Group(g.clone()))]);
    let in_g = [g.clone()];
    let elsewhere = ["autre".to_string()];
    let none: [Grant; 0] = [];
    let mut both = Vec::new();
    for (groups, scope) in [
        (&in_g, Scope::Group(g.clone())),
        (&elsewhere, Scope::Group("autre".into())),
    ] {
        let person = subject("member", groups, &none);
        let mut out: Vec<String> = Vec::new();
        let mut check = |name: &str, ok: bool| {
            if ok {
                out.push(name.to_string());
            }
        };
        let listed = match actor.may_list_users() {
            Ok((_, Visibility::Groups(gs))) => gs.iter().any(|x| groups.contains(x)),
            Ok((_, Visibility::All)) => true,
            Err(_) => false,
        };
        check("list", listed);
        check("create", actor.may_create("new", groups).is_ok());
        check("edit", actor.may_edit(&person).is_ok());
        check("disable", actor.may_disable(&person).is_ok());
        check("delete", actor.may_delete(&person).is_ok());
        check("invite", actor.may_invite(&person).is_ok());
        check(
            "membership",
            actor.may_change_membership(&groups[0], &person).is_ok(),
        );
        for other in presets(profile) {
            let rights = RoleRights {
                role_id: other.key.to_string(),
                permissions: other.permissions,
            };
            check(
                &format!("grant:{}", other.key),
                actor.may_change_role(&rights, &scope, &person).is_ok(),
            );
        }
        // Whatever the group, the organisation-wide rights stay out of reach.
        for (name, ok) in [
            ("org:grant", {
                let rights = RoleRights {
                    role_id: "member".into(),
                    permissions: PermissionSet::EMPTY,
                };
                actor
                    .may_change_role(&rights, &Scope::Organisation, &person)
                    .is_ok()
            }),
            ("org:create", actor.may_create("new", &[]).is_ok()),
            ("org:groups", actor.may_manage_group("g").is_ok()),
            (
                "org:roles",
                actor.may_define_role("r", PermissionSet::EMPTY).is_ok(),
            ),
            ("org:settings", actor.may_change_settings().is_ok()),
            ("org:audit", actor.may_read_audit().is_ok()),
            ("org:import", actor.may_import().is_ok()),
            (
                "org:import-hashes",
                actor.may_import_password_hashes().is_ok(),
            ),
            ("org:export", actor.may_export().is_ok()),
            ("org:apps", actor.may_manage_app("a").is_ok()),
        ] {
            check(name, ok);
        }
        both.push(out);
    }
    let outside = both.pop().unwrap();
    let inside = both.pop().unwrap();
    (inside, outside)
}

#[test]
fn every_preset_role_held_within_a_group_acts_inside_it_only() {
    // Inside its group a role does what it does organisation-wide to a member, and changes
    // memberships where it manages groups; outside, nothing; organisation-wide rights, never.
    let table: &[(Profile, &str, &str)] = &[
        (
            Profile::Amap,
            "admin",
            "list create edit disable delete invite membership \
             grant:admin grant:amap_manager grant:coordinator grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "amap_manager",
            "list create edit disable delete invite membership \
             grant:amap_manager grant:coordinator grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "coordinator",
            "list create edit disable invite membership \
             grant:coordinator grant:treasurer grant:producer_referent grant:producer grant:member",
        ),
        (
            Profile::Amap,
            "treasurer",
            "list create edit invite grant:treasurer grant:producer_referent grant:producer grant:member",
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
        (
            Profile::Daycare,
            "admin",
            "list create edit disable delete invite membership \
             grant:admin grant:manager grant:educator grant:mobile_access grant:communication_book grant:logbook",
        ),
        (
            Profile::Daycare,
            "manager",
            "list create edit disable invite membership \
             grant:manager grant:educator grant:mobile_access grant:communication_book grant:logbook",
        ),
        (Profile::Daycare, "educator", "list"),
        (Profile::Daycare, "mobile_access", ""),
        (Profile::Daycare, "communication_book", ""),
        (Profile::Daycare, "logbook", ""),
        (
            Profile::Generic,
            "admin",
            "list create edit disable delete invite membership grant:admin grant:manager grant:member",
        ),
        (
            Profile::Generic,
            "manager",
            "list create edit disable invite membership grant:manager grant:member",
        ),
        (Profile::Generic, "member", ""),
    ];
    for profile in Profile::ALL {
        for role in presets(profile) {
            let Some((_, _, want)) = table
                .iter()
                .find(|(p, k, _)| *p == profile && *k == role.key)
            else {
                panic!("the scope table has no line for {profile}/{}", role.key);
            };
            let want: Vec<String> = want.split_whitespace().map(String::from).collect();
            let (inside, outside) = scoped_capabilities(profile, role);
            assert_eq!(inside, want, "{profile}/{} inside its group", role.key);
            assert!(
                outside.is_empty(),
                "{profile}/{} outside its group: {outside:?}",
                role.key
            );
        }
    }
}

#[test]
fn the_menu_offers_only_what_the_rules_allow() {
    use super::menu::menu;
    for profile in Profile::ALL {
        for role in presets(profile) {
            for scope in [Scope::Organisation, Scope::Group("lilas".into())] {
                let actor = Actor::user("org", "a", vec![grant(role, scope.clone())]);
                let m = menu(&actor);
                let at = format!("{profile}/{} {scope:?}", role.key);
                assert_eq!(m.users, actor.may_list_users().is_ok(), "{at}");
                assert_eq!(m.import, actor.may_import().is_ok(), "{at}");
                assert_eq!(m.export, actor.may_export().is_ok(), "{at}");
                assert_eq!(m.audit, actor.may_read_audit().is_ok(), "{at}");
                assert_eq!(m.settings, actor.may_change_settings().is_ok(), "{at}");
                assert_eq!(m.emails, actor.may_change_settings().is_ok(), "{at}");
                assert_eq!(m.apps, actor.may_manage_app("a").is_ok(), "{at}");
                // Held within a group, the organisation-wide pages are never offered.
                if scope != Scope::Organisation {
                    assert!(
                        !(m.import || m.export || m.audit || m.settings || m.apps),
                        "{at}"
                    );
                }
                if m.create {
                    let somewhere: Vec<String> = match &scope {
                        Scope::Organisation => vec![],
                        Scope::Group(g) => vec![g.clone()],
                    };
                    assert!(actor.may_create("new", &somewhere).is_ok(), "{at}");
                }
            }
        }
    }
}

#[test]
fn an_alert_reaches_holders_over_the_events_groups() {
    use super::alerts::{audience, may_subscribe};
    let p = Permission::ViewUsers;
    let educator = presets(Profile::Daycare)
        .iter()
        .find(|r| r.key == "educator")
        .unwrap();
    let in_lutins = [grant(educator, Scope::Group("lutins".into()))];
    let everywhere = [grant(educator, Scope::Organisation)];
    let event = audience(p, &["lutins".to_string()]);
    assert!(event.admits(&in_lutins) && event.admits(&everywhere));
    let other = audience(p, &["soleil".to_string()]);
    assert!(!other.admits(&in_lutins) && other.admits(&everywhere));
    let org_event = audience(p, &[]);
    assert!(!org_event.admits(&in_lutins));
    assert!(may_subscribe(&in_lutins, Some(p)));
    assert!(!may_subscribe(&in_lutins, Some(Permission::Import)));
    assert!(may_subscribe(&[], None));
}

#[test]
fn only_administrators_may_import_password_hashes() {
    let all_but = |p: Permission| Grant {
        role_id: "almost".into(),
        permissions: PermissionSet::ALL.without(p),
        scope: Scope::Organisation,
    };
    let everything = |scope: Scope| Grant {
        role_id: "admin".into(),
        permissions: PermissionSet::ALL,
        scope,
    };
    let cases: &[(&str, Vec<Grant>, Result<(), &str>)] = &[
        (
            "administrator",
            vec![everything(Scope::Organisation)],
            Ok(()),
        ),
        (
            "administrator of one group",
            vec![everything(Scope::Group("g".into()))],
            Err("permission.missing"),
        ),
        (
            "every right but the audit",
            vec![all_but(Permission::ReadAudit)],
            Err("permission.administrators_only"),
        ),
        (
            "every right but import",
            vec![all_but(Permission::Import)],
            Err("permission.missing"),
        ),
        ("nobody", vec![], Err("permission.missing")),
    ];
    for (who, grants, want) in cases {
        let actor = Actor::user("org", "actor", grants.clone());
        let got = actor
            .may_import_password_hashes()
            .map(|_| ())
            .map_err(|d| d.code());
        assert_eq!(&got, want, "{who}");
    }
    assert!(Actor::operator("org").may_import_password_hashes().is_ok());
    assert_eq!(
        Actor::user("org", "a", vec![all_but(Permission::ReadAudit)])
            .may_import_password_hashes()
            .map_err(|d| d.permissions()),
        Err("audit.read".to_string())
    );
}

#[test]
fn invitations_are_followed_by_those_who_may_send_access() {
    for profile in [Profile::Amap, Profile::Daycare, Profile::Generic] {
        for role in presets(profile) {
            for scope in [Scope::Organisation, Scope::Group("g".into())] {
                let actor = Actor::user("org", "actor", vec![grant(role, scope.clone())]);
                let member_of_g = ["g".to_string()];
                let member = subject("member", &member_of_g, &[]);
                let at = format!("{profile:?} {} {scope:?}", role.key);
                match actor.may_follow_invitations() {
                    Ok(seen) => {
                        // Whoever sees the list may send access to a plain member there.
                        assert!(actor.may_invite(&member).is_ok(), "{at}");
                        let expected = match &scope {
                            Scope::Organisation => Visibility::All,
                            Scope::Group(g) => Visibility::Groups(vec![g.clone()]),
                        };
                        assert_eq!(seen, expected, "{at}");
                    }
                    Err(d) => {
                        assert_eq!(d, Denied::Missing(Permission::Invite), "{at}");
                        assert!(actor.may_invite(&member).is_err(), "{at}");
                    }
                }
            }
        }
    }
}
