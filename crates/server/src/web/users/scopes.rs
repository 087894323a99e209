//! Roles by place on the Add form and the Roles tab: every held role with where it is held
//! (« Coordinateur — dans Les Lutins »), a box to take back each one the viewer may, boxes to
//! give each role organisation-wide or within chosen groups, and the groups the person is a
//! member of.
//!
//! The form sends only what the person asks: `give` and `take_back` pairs (`ROLE` for the
//! whole organisation, `ROLE@GROUP` within a group, by ids), the group boxes ticked (`groups`)
//! and, on the Roles tab, those that were ticked when the page was made (`groups_was`), so that
//! only the boxes changed join or leave a group. The app applies that to what the person holds
//! when it is saved ([`grantable::change`]).

use super::super::Ctx;
use sesame_app::users::grantable::{self, RoleAt, RoleChange, RoleOffer};
use std::collections::BTreeMap;

type Form = BTreeMap<String, Vec<String>>;

/// A role held, as the Roles tab lists it.
pub(crate) struct HeldLine {
    pub role: String,
    /// « dans Les Lutins », « toute l'organisation ».
    pub place: String,
    pub value: String,
    pub may_take_back: bool,
    /// Ticked to be taken back (the form shown again after an error).
    pub ticked: bool,
}

/// A box that gives one role at one place.
pub(crate) struct PlaceBox {
    pub value: String,
    pub label: String,
    pub ticked: bool,
}

/// A role the viewer may give, with its places.
pub(crate) struct GrantLine {
    pub role: String,
    pub description: String,
    pub places: Vec<PlaceBox>,
}

/// A group box: the person is (or becomes) a member.
pub(crate) struct GroupBox {
    pub value: String,
    pub name: String,
    pub ticked: bool,
    /// A member when the page was made.
    pub was: bool,
}

/// What the template of the roles fields shows.
#[derive(Default)]
pub(crate) struct RolesEditor {
    /// `false` on the Add form: someone new holds nothing yet.
    pub with_held: bool,
    pub held: Vec<HeldLine>,
    pub grantable: Vec<GrantLine>,
    pub groups: Vec<GroupBox>,
    /// « Also a member of: … »: the groups the viewer may not change, or "".
    pub other_groups: String,
    pub changeable: bool,
}

/// The form's value of a role at a place.
fn value_of(at: &RoleAt) -> String {
    match &at.group_id {
        None => at.role_id.clone(),
        Some(g) => format!("{}@{g}", at.role_id),
    }
}

fn parse(value: &str) -> RoleAt {
    match value.split_once('@') {
        Some((role, group)) => RoleAt {
            role_id: role.to_string(),
            group_id: Some(group.to_string()),
        },
        None => RoleAt {
            role_id: value.to_string(),
            group_id: None,
        },
    }
}

fn values<'a>(form: &'a Form, key: &str) -> &'a [String] {
    form.get(key).map_or(&[], Vec::as_slice)
}

/// The pairs a form gives (`give`).
pub(crate) fn given(form: &Form) -> Vec<RoleAt> {
    values(form, "give").iter().map(|v| parse(v)).collect()
}

/// The group boxes ticked (ids).
pub(crate) fn ticked_groups(form: &Form) -> Vec<String> {
    values(form, "groups").to_vec()
}

/// What the Roles tab's form asks.
pub(crate) fn change_of(form: &Form) -> RoleChange {
    let ticked = values(form, "groups");
    let was = values(form, "groups_was");
    RoleChange {
        give: given(form),
        take_back: values(form, "take_back").iter().map(|v| parse(v)).collect(),
        join: ticked
            .iter()
            .filter(|g| !was.contains(g))
            .cloned()
            .collect(),
        leave: was
            .iter()
            .filter(|g| !ticked.contains(g))
            .cloned()
            .collect(),
    }
}

/// The fields for `offer`; `typed` is the form sent, when it is shown again after an error.
pub(crate) fn editor(
    ctx: &Ctx,
    offer: RoleOffer,
    typed: Option<&Form>,
    with_held: bool,
) -> RolesEditor {
    let ticked =
        |key: &str, value: &str| typed.is_some_and(|f| values(f, key).iter().any(|v| v == value));
    let changeable = offer.changeable();
    let held = offer
        .held
        .iter()
        .map(|h| {
            let value = value_of(&h.at());
            HeldLine {
                role: h.role.clone(),
                place: match &h.group {
                    None => ctx.t("web-scopes-everywhere"),
                    Some(g) => ctx.t1("web-scopes-in", "group", &g.name),
                },
                ticked: ticked("take_back", &value),
                value,
                may_take_back: h.may_take_back,
            }
        })
        .collect();
    let grantable = offer
        .grantable
        .into_iter()
        .map(|r| {
            let mut places = Vec::new();
            if r.organisation {
                let value = r.role_id.clone();
                places.push(PlaceBox {
                    ticked: ticked("give", &value),
                    value,
                    label: ctx.t("web-scopes-organisation"),
                });
            }
            for g in r.groups {
                let value = format!("{}@{}", r.role_id, g.id);
                places.push(PlaceBox {
                    ticked: ticked("give", &value),
                    value,
                    label: g.name,
                });
            }
            GrantLine {
                role: r.role,
                description: r.description,
                places,
            }
        })
        .collect();
    let groups = offer
        .memberships
        .iter()
        .filter(|m| m.may_change)
        .map(|m| GroupBox {
            ticked: match typed {
                Some(_) => ticked("groups", &m.group.id),
                None => m.member,
            },
            was: m.member,
            value: m.group.id.clone(),
            name: m.group.name.clone(),
        })
        .collect();
    let others = offer
        .memberships
        .iter()
        .filter(|m| m.member && !m.may_change)
        .map(|m| m.group.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let other_groups = match others.as_str() {
        "" => String::new(),
        names => ctx.t1("web-scopes-other-groups", "groups", &names),
    };
    RolesEditor {
        with_held,
        held,
        grantable,
        groups,
        other_groups,
        changeable,
    }
}

/// Saves the Roles tab.
pub(crate) async fn save(
    app: &sesame_app::App,
    who: &sesame_app::Principal,
    id: &str,
    form: &Form,
) -> Result<&'static str, sesame_app::Error> {
    grantable::change(app, who, id, change_of(form))
        .await
        .map(|_| "saved")
}

/// Whether the Add form sent no group at all, neither as a membership nor as a role's place.
pub(crate) fn no_group(form: &Form) -> bool {
    ticked_groups(form).is_empty() && given(form).iter().all(|g| g.group_id.is_none())
}
