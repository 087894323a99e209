//! The rules about people: seeing, creating, changing, disabling and deleting them, their
//! roles and memberships one at a time, their tokens and their signatures.

use super::action::*;
use super::{Actor, Allowed, Denied, RoleRights, Scope, Subject, Visibility};
use crate::permission::{Permission, PermissionSet};

impl Actor {
    fn act_on<A>(
        &self,
        p: Permission,
        subject: &Subject<'_>,
        action: A,
    ) -> Result<Allowed<A>, Denied> {
        if !self.covers(p, subject) {
            return Err(Denied::Missing(p));
        }
        self.outranks_or_equals(subject)?;
        Ok(self.allow(action))
    }

    /// Lists: everyone with an organisation-wide right, else the members of one's groups.
    pub fn may_list_users(&self) -> Result<(Allowed<ListUsers>, Visibility), Denied> {
        if self.holds_org_wide(Permission::ViewUsers) {
            return Ok((self.allow(ListUsers), Visibility::All));
        }
        let groups = self.groups_holding(Permission::ViewUsers);
        if groups.is_empty() {
            Err(Denied::Missing(Permission::ViewUsers))
        } else {
            Ok((self.allow(ListUsers), Visibility::Groups(groups)))
        }
    }

    /// One may always see oneself.
    pub fn may_view(&self, subject: &Subject<'_>) -> Result<Allowed<ViewUser>, Denied> {
        if self.is_self(subject) || self.covers(Permission::ViewUsers, subject) {
            Ok(self.allow(ViewUser {
                user_id: subject.user_id.to_string(),
            }))
        } else {
            Err(Denied::Missing(Permission::ViewUsers))
        }
    }

    /// Creating the user `user_id` into `groups` (ids): organisation-wide, or within every one
    /// of them.
    pub fn may_create(
        &self,
        user_id: &str,
        groups: &[String],
    ) -> Result<Allowed<CreateUser>, Denied> {
        let p = Permission::CreateUsers;
        let ok = self.holds_org_wide(p)
            || (!groups.is_empty()
                && groups
                    .iter()
                    .all(|g| self.permissions_over(&Scope::Group(g.clone())).contains(p)));
        if ok {
            Ok(self.allow(CreateUser {
                user_id: user_id.to_string(),
            }))
        } else {
            Err(Denied::Missing(p))
        }
    }

    /// Whether creating someone is possible at all (somewhere): the pages' Add button and
    /// form, the login suggested there, and the first check of every creation (someone who may
    /// create no one learns nothing from it, not even whether an address is taken).
    pub fn may_create_somewhere(&self) -> Result<(), Denied> {
        let p = Permission::CreateUsers;
        if self.permissions_anywhere().contains(p) {
            Ok(())
        } else {
            Err(Denied::Missing(p))
        }
    }

    /// Editing someone's profile. People may edit their own profile without any right.
    pub fn may_edit(&self, subject: &Subject<'_>) -> Result<Allowed<EditUser>, Denied> {
        let action = EditUser {
            user_id: subject.user_id.to_string(),
        };
        if self.is_self(subject) {
            return Ok(self.allow(action));
        }
        self.act_on(Permission::EditUsers, subject, action)
    }

    pub fn may_disable(&self, subject: &Subject<'_>) -> Result<Allowed<DisableUser>, Denied> {
        self.act_on(
            Permission::DisableUsers,
            subject,
            DisableUser {
                user_id: subject.user_id.to_string(),
            },
        )
    }

    pub fn may_delete(&self, subject: &Subject<'_>) -> Result<Allowed<DeleteUser>, Denied> {
        self.act_on(
            Permission::DeleteUsers,
            subject,
            DeleteUser {
                user_id: subject.user_id.to_string(),
            },
        )
    }

    pub fn may_invite(&self, subject: &Subject<'_>) -> Result<Allowed<Invite>, Denied> {
        self.act_on(
            Permission::Invite,
            subject,
            Invite {
                user_id: subject.user_id.to_string(),
            },
        )
    }

    /// Following invitations (issue 23): the list of those invited and not yet active, for
    /// whoever may send access to someone — organisation-wide, or to the members of the groups
    /// where they hold the right. Sending again to one of them still asks [`Actor::may_invite`].
    pub fn may_follow_invitations(&self) -> Result<Visibility, Denied> {
        let p = Permission::Invite;
        if self.holds_org_wide(p) {
            return Ok(Visibility::All);
        }
        let groups = self.groups_holding(p);
        if groups.is_empty() {
            Err(Denied::Missing(p))
        } else {
            Ok(Visibility::Groups(groups))
        }
    }

    /// Granting `role` over `scope` to `subject`, or taking it back: the actor holds
    /// "assign roles" and every permission of the role over that scope, and outranks the subject.
    pub fn may_change_role(
        &self,
        role: &RoleRights,
        scope: &Scope,
        subject: &Subject<'_>,
    ) -> Result<Allowed<ChangeRole>, Denied> {
        self.may_grant_over(role, scope)?;
        self.outranks_or_equals(subject)?;
        Ok(self.allow(ChangeRole {
            user_id: subject.user_id.to_string(),
            role_id: role.role_id.clone(),
            scope: scope.clone(),
        }))
    }

    /// Whether `role` could be granted over `scope` to someone the actor outranks: what a form
    /// offers before anyone is chosen.
    pub fn may_grant_over(&self, role: &RoleRights, scope: &Scope) -> Result<(), Denied> {
        let over = self.permissions_over(scope);
        if !over.contains(Permission::AssignRoles) {
            return Err(Denied::Missing(Permission::AssignRoles));
        }
        let lacking = role.permissions.minus(over);
        if lacking.is_empty() {
            Ok(())
        } else {
            Err(Denied::RoleOutranks(lacking))
        }
    }

    /// Adding `subject` to, or removing them from, group `group_id`.
    pub fn may_change_membership(
        &self,
        group_id: &str,
        subject: &Subject<'_>,
    ) -> Result<Allowed<ChangeMembership>, Denied> {
        if !self
            .permissions_over(&Scope::Group(group_id.to_string()))
            .contains(Permission::ManageGroups)
        {
            return Err(Denied::Missing(Permission::ManageGroups));
        }
        self.outranks_or_equals(subject)?;
        Ok(self.allow(ChangeMembership {
            user_id: subject.user_id.to_string(),
            group_id: group_id.to_string(),
        }))
    }

    /// Limiting a new API token to `cap`: only to permissions the actor holds somewhere (so a
    /// token made with a limited token is limited as much).
    pub fn may_cap_token(&self, cap: PermissionSet) -> Result<(), Denied> {
        let lacking = cap.minus(self.permissions_anywhere());
        if lacking.is_empty() {
            Ok(())
        } else {
            Err(Denied::TokenOutranks(lacking))
        }
    }

    /// Issuing a token for `subject` (or ending their own): for oneself, or as the operator.
    pub fn may_issue_token(&self, subject: &Subject<'_>) -> Result<Allowed<IssueToken>, Denied> {
        if self.user_id.is_none() || self.is_self(subject) {
            Ok(self.allow(IssueToken {
                user_id: subject.user_id.to_string(),
            }))
        } else {
            Err(Denied::Missing(Permission::AssignRoles))
        }
    }

    /// Keeping one's own e-mail signature: for those holding the signature permission
    /// somewhere (it signs the messages they send, whatever group they concern).
    pub fn may_keep_signature(&self) -> Result<Allowed<KeepSignature>, Denied> {
        match &self.user_id {
            Some(id)
                if self
                    .permissions_anywhere()
                    .contains(Permission::EmailSignature) =>
            {
                Ok(self.allow(KeepSignature {
                    user_id: id.clone(),
                }))
            }
            _ => Err(Denied::Missing(Permission::EmailSignature)),
        }
    }
}

impl Actor {
    /// Choosing `subject`'s alerts: one's own always; another person's for whoever may edit
    /// them (the "edit users" permission over one of their groups, and no escalation). Which
    /// alerts they may receive is their own rights' business ([`super::alerts::may_subscribe`]).
    pub fn may_choose_alerts(
        &self,
        subject: &Subject<'_>,
    ) -> Result<Allowed<ChooseAlerts>, Denied> {
        let action = ChooseAlerts {
            user_id: subject.user_id.to_string(),
        };
        if self.is_self(subject) {
            return Ok(self.allow(action));
        }
        self.act_on(Permission::EditUsers, subject, action)
    }

    /// Keeping `subject`'s signature: one's own under [`Actor::may_keep_signature`]; another
    /// person's for whoever may edit them, when that person's roles allow a signature (else
    /// nothing would close their messages).
    pub fn may_keep_signature_of(
        &self,
        subject: &Subject<'_>,
    ) -> Result<Allowed<KeepSignature>, Denied> {
        if self.is_self(subject) {
            return self.may_keep_signature();
        }
        let action = KeepSignature {
            user_id: subject.user_id.to_string(),
        };
        let allowed = self.act_on(Permission::EditUsers, subject, action)?;
        if has_signature(subject.grants) {
            Ok(allowed)
        } else {
            Err(Denied::SubjectLacks(Permission::EmailSignature))
        }
    }
}

/// Whether a person holding `grants` has a signature that closes their messages: the same rule
/// as [`Actor::may_keep_signature`], seen from the reader's side.
pub fn has_signature(grants: &[super::Grant]) -> bool {
    grants
        .iter()
        .any(|g| g.permissions.contains(Permission::EmailSignature))
}
