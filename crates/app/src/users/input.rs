//! What a person asks of [`super::create`] and [`super::update`]: one type per input, which the
//! API reads from its JSON body (unknown keys refused), the pages from their form (the web
//! layer's form reader takes only the keys a type has) and the CLI builds from its arguments.
//! The fields stay flat (serde's `flatten` cannot go with `deny_unknown_fields`); the checks
//! read them through [`RawFields`], built in one place.

use super::RoleInGroup;
use super::check::{RawFields, raw_fields_of};
use crate::patch::Patch;
use serde::Deserialize;

/// A new user. Which fields are required is an organisation setting; a missing login is
/// suggested from the names (`prenom.nom`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreateUser)]
pub struct NewUser {
    /// Lowercase letters, digits, `.`, `-`, `_`; suggested when absent.
    pub login: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// National (`06 12 34 56 78`, `(514) 555-1234`) or international format.
    pub phone: Option<String>,
    /// `fr` or `en`; the organisation's by default.
    pub language: Option<String>,
    pub address_line: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleInGroup>,
    /// Names of groups to join.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Send the invitation e-mail.
    #[serde(default)]
    pub send_invitation: bool,
}

impl NewUser {
    /// The fields as the checks read them (an empty one is no value).
    pub fn fields(&self) -> RawFields<'_> {
        raw_fields_of!(self)
    }
}

/// Changes to a user: absent fields stay, `null` or `""` clears an optional one. `roles` and
/// `groups`, when given, replace the current ones.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PatchUser)]
pub struct UserChanges {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub login: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub first_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub last_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub language: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub address_line: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub postal_code: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub city: Patch<String>,
    pub roles: Option<Vec<RoleInGroup>>,
    pub groups: Option<Vec<String>>,
    /// Roles and groups given and taken back relative to what the person holds when the change
    /// is written (in its transaction: a change made meanwhile by someone else is kept). The
    /// pages' Roles tab only; neither the API nor a form sets it.
    #[serde(skip)]
    pub access: Option<AccessChange>,
}

impl UserChanges {
    /// The fields as the checks read them.
    pub fn fields(&self) -> RawFields<'_> {
        raw_fields_of!(self)
    }
}

/// Roles (by name, with their group) and groups (by name) to give and to take back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessChange {
    pub give: Vec<RoleInGroup>,
    pub take_back: Vec<RoleInGroup>,
    pub join: Vec<String>,
    pub leave: Vec<String>,
}

impl AccessChange {
    /// The roles and groups the person should have, from those they have now.
    pub(crate) fn applied_to(&self, target: &super::Target) -> (Vec<RoleInGroup>, Vec<String>) {
        let mut roles: Vec<RoleInGroup> = target
            .held
            .iter()
            .map(|h| RoleInGroup {
                role: h.role_name.clone(),
                group: h.group_name.clone(),
            })
            .filter(|r| !self.take_back.contains(r))
            .collect();
        for r in &self.give {
            if !roles.contains(r) {
                roles.push(r.clone());
            }
        }
        let mut groups: Vec<String> = target
            .groups
            .iter()
            .map(|g| g.name.clone())
            .filter(|n| !self.leave.contains(n))
            .collect();
        for g in &self.join {
            if !groups.contains(g) {
                groups.push(g.clone());
            }
        }
        (roles, groups)
    }
}
