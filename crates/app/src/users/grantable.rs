//! Roles by place, as the pages handle them: what a viewer may give or take back on a person's
//! Roles tab and on the Add form ([`offer`]), and a change made of what was asked ([`change`]):
//! give these (role, place) pairs, take back those, join or leave these groups.
//!
//! A change starts from what the person holds when it is saved, never from a whole list sent
//! back by a form: a role held within one group keeps its group when another role is given,
//! a form opened before someone else's change does not undo it, and what the viewer may not
//! touch stays as it is. The offer asks the policy for each pair
//! ([`Actor::may_change_role`](sesame_core::policy::Actor::may_change_role)); the change goes
//! through [`super::update`], which asks it again for every pair given or taken back and every
//! group joined or left: what a page offers is a courtesy, the update's check is the rule.

use super::{AccessChange, RoleInGroup, UserChanges, UserView, load_target, update};
use crate::{App, Error, Principal, Result, permissions_of};
use sesame_core::FieldError;
use sesame_core::policy::{RoleRights, Scope, Subject};
use sesame_store::groups::GroupRow;
use sesame_store::roles::RoleRow;

/// A group as the forms name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub id: String,
    pub name: String,
}

/// A role at a place, by ids: within the group `group_id`, or organisation-wide when `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleAt {
    pub role_id: String,
    pub group_id: Option<String>,
}

/// A role the person holds, and whether the viewer may take it back.
#[derive(Debug, Clone)]
pub struct Holding {
    pub role_id: String,
    pub role: String,
    /// `None`: held in the whole organisation.
    pub group: Option<GroupRef>,
    pub may_take_back: bool,
}

impl Holding {
    pub fn at(&self) -> RoleAt {
        RoleAt {
            role_id: self.role_id.clone(),
            group_id: self.group.as_ref().map(|g| g.id.clone()),
        }
    }
}

/// A role the viewer may give, and where: organisation-wide when `organisation`, and within
/// each of `groups`. The places where the person already holds it are left out.
#[derive(Debug, Clone)]
pub struct Grantable {
    pub role_id: String,
    pub role: String,
    pub description: String,
    pub organisation: bool,
    pub groups: Vec<GroupRef>,
}

/// A group of the organisation as the membership boxes show it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub group: GroupRef,
    pub member: bool,
    /// Whether the viewer may add the person to it or remove them from it.
    pub may_change: bool,
}

/// What a form offers the viewer about one person's roles and groups (or a new person's).
#[derive(Debug, Clone, Default)]
pub struct RoleOffer {
    /// Every role the person holds, in the order of the roles, then of the groups.
    pub held: Vec<Holding>,
    /// Only roles the viewer may give somewhere.
    pub grantable: Vec<Grantable>,
    /// Groups the person is a member of, and those the viewer may add them to.
    pub memberships: Vec<Membership>,
}

impl RoleOffer {
    /// Whether the viewer may change anything at all (the form then has a button).
    pub fn changeable(&self) -> bool {
        !self.grantable.is_empty()
            || self.held.iter().any(|h| h.may_take_back)
            || self.memberships.iter().any(|m| m.may_change)
    }
}

/// What the viewer may give and take back on the person `user_id`'s roles, or, with `None`,
/// on someone they are adding.
pub async fn offer(app: &App, who: &Principal, user_id: Option<&str>) -> Result<RoleOffer> {
    let mut conn = app.store.read().await?;
    let org = &who.org;
    let roles = sesame_store::roles::list(&mut conn, org.id()).await?;
    let groups: Vec<GroupRow> = sesame_store::groups::list(&mut conn, org.id())
        .await?
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    let actor = &who.actor;
    let Some(id) = user_id else {
        // Someone new holds nothing: each place needs the right to add people there too.
        let subject = Subject {
            user_id: "",
            groups: &[],
            grants: &[],
        };
        let may_add_in = |g: &GroupRow| actor.may_create("", std::slice::from_ref(&g.id)).is_ok();
        let may_add_anywhere = actor.may_create("", &[]).is_ok();
        let grantable = roles
            .iter()
            .filter_map(|r| {
                grantable(r, &groups, |scope| {
                    actor.may_change_role(&rights(r), scope, &subject).is_ok()
                        && match scope {
                            Scope::Organisation => may_add_anywhere,
                            Scope::Group(gid) => {
                                groups.iter().any(|g| &g.id == gid && may_add_in(g))
                            }
                        }
                })
            })
            .collect();
        let memberships = groups
            .iter()
            .filter(|g| may_add_in(g))
            .map(|g| Membership {
                group: group_ref(g),
                member: false,
                may_change: true,
            })
            .collect();
        return Ok(RoleOffer {
            held: Vec::new(),
            grantable,
            memberships,
        });
    };

    let target = load_target(&mut conn, org, id).await?;
    let subject = target.subject();
    actor.may_view(&subject)?;
    // The update asks for this first: without it nothing can change.
    let editable = actor.may_edit(&subject).is_ok();
    let member = |gid: &str| target.group_ids.iter().any(|m| m == gid);
    let may_change_membership =
        |gid: &str| editable && actor.may_change_membership(gid, &subject).is_ok();
    let held = target
        .held
        .iter()
        .map(|h| {
            let scope = h.group_id.clone().map_or(Scope::Organisation, Scope::Group);
            let role = RoleRights {
                role_id: h.role_id.clone(),
                permissions: permissions_of(&h.permissions),
            };
            Holding {
                role_id: h.role_id.clone(),
                role: h.role_name.clone(),
                group: h.group_id.as_ref().map(|gid| GroupRef {
                    id: gid.clone(),
                    name: h.group_name.clone().unwrap_or_default(),
                }),
                may_take_back: editable && actor.may_change_role(&role, &scope, &subject).is_ok(),
            }
        })
        .collect::<Vec<_>>();
    let holds = |role_id: &str, scope: &Scope| {
        target.held.iter().any(|h| {
            h.role_id == role_id
                && h.group_id.clone().map_or(Scope::Organisation, Scope::Group) == *scope
        })
    };
    let grantable = if editable {
        roles
            .iter()
            .filter_map(|r| {
                grantable(r, &groups, |scope| {
                    !holds(&r.id, scope)
                        && actor.may_change_role(&rights(r), scope, &subject).is_ok()
                        // A role within a group makes the person a member of it.
                        && match scope {
                            Scope::Organisation => true,
                            Scope::Group(gid) => member(gid) || may_change_membership(gid),
                        }
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let memberships = groups
        .iter()
        .map(|g| Membership {
            group: group_ref(g),
            member: member(&g.id),
            may_change: may_change_membership(&g.id),
        })
        .filter(|m| m.member || m.may_change)
        .collect();
    Ok(RoleOffer {
        held,
        grantable,
        memberships,
    })
}

/// The role `r` with the places `may` allows, if there is one.
fn grantable(r: &RoleRow, groups: &[GroupRow], may: impl Fn(&Scope) -> bool) -> Option<Grantable> {
    let organisation = may(&Scope::Organisation);
    let within: Vec<GroupRef> = groups
        .iter()
        .filter(|g| may(&Scope::Group(g.id.clone())))
        .map(group_ref)
        .collect();
    (organisation || !within.is_empty()).then(|| Grantable {
        role_id: r.id.clone(),
        role: r.name.clone(),
        description: r.description.clone(),
        organisation,
        groups: within,
    })
}

fn group_ref(g: &GroupRow) -> GroupRef {
    GroupRef {
        id: g.id.clone(),
        name: g.name.clone(),
    }
}

fn rights(r: &RoleRow) -> RoleRights {
    RoleRights {
        role_id: r.id.clone(),
        permissions: permissions_of(&r.permissions),
    }
}

/// A change of one person's roles and groups, as a form asks it.
#[derive(Debug, Clone, Default)]
pub struct RoleChange {
    pub give: Vec<RoleAt>,
    pub take_back: Vec<RoleAt>,
    /// Group ids.
    pub join: Vec<String>,
    pub leave: Vec<String>,
}

/// Applies `change` to what the person `id` holds when it is written (in the update's
/// transaction). A pair taken back that is no longer held, or given that is already held,
/// changes nothing. Errors name the field `roles` (or `groups`).
pub async fn change(app: &App, who: &Principal, id: &str, change: RoleChange) -> Result<UserView> {
    let names = {
        let mut conn = app.store.read().await?;
        Names::load(&mut conn, &who.org).await?
    };
    let mut errors = Vec::new();
    let access = AccessChange {
        give: names.roles_named(&change.give, &mut errors),
        take_back: names.roles_named(&change.take_back, &mut errors),
        join: names.groups_named(&change.join, &mut errors),
        leave: names.groups_named(&change.leave, &mut errors),
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let changes = UserChanges {
        access: Some(access),
        ..Default::default()
    };
    update(app, who, id, changes).await.map_err(on_fields)
}

/// The roles and groups of `give` and `groups` (ids) by name, as [`super::NewUser`] takes them.
pub async fn named(
    app: &App,
    who: &Principal,
    give: &[RoleAt],
    groups: &[String],
) -> Result<(Vec<RoleInGroup>, Vec<String>)> {
    let mut conn = app.store.read().await?;
    let names = Names::load(&mut conn, &who.org).await?;
    let mut errors = Vec::new();
    let roles = names.roles_named(give, &mut errors);
    let groups = names.groups_named(groups, &mut errors);
    if errors.is_empty() {
        Ok((roles, groups))
    } else {
        Err(Error::Invalid(errors))
    }
}

/// An error of the roles or groups the update was given (`roles[3].role`, `groups[0]`) names
/// the form's field instead: the list was made here, its positions mean nothing to the person.
/// So does the refusal to take the last administrator's role back.
pub fn on_fields(e: Error) -> Error {
    let rename = |mut f: FieldError| {
        // The last administrator loses that role only through this field.
        if f.field.starts_with("roles[") || f.code == "user.last_admin" {
            f.field = "roles".into();
        } else if f.field.starts_with("groups[") {
            f.field = "groups".into();
        }
        f
    };
    match e {
        Error::Invalid(v) => Error::Invalid(v.into_iter().map(rename).collect()),
        Error::Conflict(v) => Error::Conflict(v.into_iter().map(rename).collect()),
        Error::Refused(f) => Error::Refused(rename(f)),
        other => other,
    }
}

/// The organisation's roles and groups, to turn the forms' ids into the names the update takes.
struct Names {
    roles: Vec<RoleRow>,
    groups: Vec<GroupRow>,
}

impl Names {
    async fn load(conn: &mut sesame_store::Conn, org: &crate::Org) -> Result<Self> {
        Ok(Self {
            roles: sesame_store::roles::list(conn, org.id()).await?,
            groups: sesame_store::groups::list(conn, org.id())
                .await?
                .into_iter()
                .map(|(g, _)| g)
                .collect(),
        })
    }

    fn group(&self, id: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
        let found = self
            .groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone());
        if found.is_none() {
            let expected: Vec<&str> = self
                .groups
                .iter()
                .take(30)
                .map(|g| g.name.as_str())
                .collect();
            errors.push(
                FieldError::new(field, "group.unknown")
                    .with("value", id)
                    .with("expected", expected.join(", ")),
            );
        }
        found
    }

    fn roles_named(&self, pairs: &[RoleAt], errors: &mut Vec<FieldError>) -> Vec<RoleInGroup> {
        let mut out = Vec::new();
        for p in pairs {
            let Some(role) = self.roles.iter().find(|r| r.id == p.role_id) else {
                let expected: Vec<&str> = self.roles.iter().map(|r| r.name.as_str()).collect();
                errors.push(
                    FieldError::new("roles", "role.unknown")
                        .with("value", &p.role_id)
                        .with("expected", expected.join(", ")),
                );
                continue;
            };
            let group = match &p.group_id {
                None => None,
                Some(gid) => match self.group(gid, "roles", errors) {
                    Some(name) => Some(name),
                    None => continue,
                },
            };
            let r = RoleInGroup {
                role: role.name.clone(),
                group,
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    fn groups_named(&self, ids: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.group(id, "groups", errors))
            .collect()
    }
}
