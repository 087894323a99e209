use super::read_form;
use sesame_app::patch::Patch;
use sesame_app::users::{NewUser, UserChanges};
use std::collections::BTreeMap;

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        out.entry(k.to_string()).or_default().push(v.to_string());
    }
    out
}

#[test]
fn an_edit_form_clears_what_is_emptied_and_leaves_what_it_lacks() {
    let c: UserChanges = read_form(&form(&[
        ("csrf", "token"),
        ("first_name", " Zoé "),
        ("last_name", ""),
        ("phone", "   "),
    ]))
    .unwrap();
    assert_eq!(c.first_name, Patch::Value(" Zoé ".to_string()));
    assert_eq!(c.last_name, Patch::Null);
    assert_eq!(c.phone, Patch::Null);
    assert_eq!(c.city, Patch::Absent);
    assert_eq!(c.email, Patch::Absent);
    assert_eq!(c.roles, None);
    assert_eq!(c.groups, None);
    assert!(c.access.is_none());
}

#[test]
fn an_add_form_reads_boxes_and_lists_and_passes_over_its_other_keys() {
    let n: NewUser = read_form(&form(&[
        ("csrf", "token"),
        ("once", "x"),
        ("give", "role-1"),
        ("email", "zoe@example.org"),
        ("login", ""),
        ("groups", "g1"),
        ("groups", "g2"),
        ("send_invitation", "on"),
    ]))
    .unwrap();
    assert_eq!(n.email.as_deref(), Some("zoe@example.org"));
    assert_eq!(n.login, None);
    assert_eq!(n.groups, ["g1", "g2"]);
    assert!(n.send_invitation);
    let unticked: NewUser = read_form(&form(&[("email", "a@b.fr")])).unwrap();
    assert!(!unticked.send_invitation);
    assert!(unticked.roles.is_empty());
}

#[test]
fn a_value_the_type_cannot_hold_is_refused_on_its_field() {
    for (key, value, field) in [
        ("send_invitation", "maybe", "send_invitation"),
        ("roles", "admin", "roles[0]"),
    ] {
        match read_form::<NewUser>(&form(&[(key, value)])) {
            Err(sesame_app::Error::Invalid(errors)) => {
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].field, field);
                assert_eq!(errors[0].code, "request.form_value");
            }
            other => panic!("{key}={value}: {other:?}"),
        }
    }
}
