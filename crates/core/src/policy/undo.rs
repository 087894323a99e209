//! Undoing an import: the same rights the import needed, over every person it touches, as
//! they are now.
//!
//! - A person the import created is deleted only by someone who could create them as they are
//!   now — in their groups, with every role they hold (those the import gave and any given
//!   since): undoing is not a way to remove someone one could not have added.
//! - A person the import changed is put back through the one planner ([`plan`]): editing them
//!   as they are now, and granting and taking back each role and membership the undo restores,
//!   exactly as the import itself was checked.
//!
//! - A person the import made active with the password hash it brought (WordPress), invited
//!   again with that password removed, needs besides the right that import needed: importing
//!   password hashes (administrators only).
//!
//! All need the right to import, organisation-wide.

use super::action::UndoCreation;
use super::plan::{Before, Plan, Refusal, Wanted, WantedRole, plan};
use super::{Actor, Allowed, Grant};

impl Actor {
    /// Deleting `user_id`, created by an import being undone, who is now in `groups` (ids)
    /// and holds `grants`.
    pub fn may_undo_creation(
        &self,
        user_id: &str,
        groups: &[String],
        grants: &[Grant],
    ) -> Result<Allowed<UndoCreation>, Refusal> {
        self.may_import()?;
        let wanted = Wanted {
            roles: Some(
                grants
                    .iter()
                    .map(|g| WantedRole {
                        grant: g.clone(),
                        requires: None,
                    })
                    .collect(),
            ),
            groups: Some(groups.to_vec()),
            invite: false,
        };
        plan(self, user_id, None, &wanted)?;
        Ok(self.allow(UndoCreation {
            user_id: user_id.to_string(),
        }))
    }

    /// Putting back `user_id`, changed by an import being undone, from `now` (as they are) to
    /// `restored` (their roles and groups before the import; the edit of their fields is
    /// always asked): the plan of that change, with its proofs.
    pub fn may_undo_update(
        &self,
        user_id: &str,
        now: Before<'_>,
        restored: &Wanted,
    ) -> Result<Plan, Refusal> {
        self.may_import()?;
        plan(self, user_id, Some(now), restored)
    }

    /// As [`Self::may_undo_update`], for someone the import also made active with the password
    /// hash it brought: invited again, that password removed. Only who may import hashes may
    /// take one back (it ends the sign-ins it opened).
    pub fn may_undo_activation(
        &self,
        user_id: &str,
        now: Before<'_>,
        restored: &Wanted,
    ) -> Result<Plan, Refusal> {
        self.may_import_password_hashes()?;
        self.may_undo_update(user_id, now, restored)
    }
}

#[cfg(test)]
#[path = "undo_tests.rs"]
mod tests;
