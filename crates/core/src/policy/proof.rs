//! Proofs: what the policy hands out when it allows something, and what every write requires.
//!
//! An [`Allowed<A>`] names the organisation and the action's target (the person, the role and
//! where it is granted, the group…). Its fields are private and its only constructor is private
//! to the policy module, so outside `sesame-core` the one way to hold a proof is to ask a rule
//! for it. The store's writes take the proof and use the ids it carries, not ids passed beside
//! it: a write without its check does not compile, and a proof for one person cannot write
//! another (the store compares the row it is given with the proof's target).
//!
//! Outside the policy a proof can be neither built nor forged (checked by `cargo test --doc`):
//!
//! ```compile_fail
//! use sesame_core::policy::{Allowed, action::EditUser};
//! let forged = Allowed { org_id: "org".into(), action: EditUser { user_id: "boss".into() } };
//! ```
//!
//! ```compile_fail
//! use sesame_core::policy::{Allowed, action::EditUser};
//! let forged = Allowed::new("org", EditUser { user_id: "boss".into() });
//! ```
//!
//! while asking the policy gives one:
//!
//! ```
//! use sesame_core::policy::{Actor, Subject};
//! let me = Actor::user("org", "lea", vec![]);
//! let proof = me
//!     .may_edit(&Subject { user_id: "lea", groups: &[], grants: &[] })
//!     .expect("one may edit oneself");
//! assert!(proof.is_for("org", "lea"));
//! ```

use super::Scope;
use std::ops::Deref;

/// Proof that the policy allowed the action `A` (which carries its target) in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed<A> {
    org_id: String,
    action: A,
}

impl<A> Allowed<A> {
    /// Only the policy's rules make proofs.
    pub(super) fn new(org_id: &str, action: A) -> Self {
        Self {
            org_id: org_id.to_string(),
            action,
        }
    }

    /// The organisation the proof holds in.
    pub fn org_id(&self) -> &str {
        &self.org_id
    }

    pub fn action(&self) -> &A {
        &self.action
    }
}

impl<A> Deref for Allowed<A> {
    type Target = A;

    fn deref(&self) -> &A {
        &self.action
    }
}

/// The kinds of action, each with its target. Building one proves nothing: only an
/// [`Allowed`] of it does.
pub mod action {
    use super::Scope;

    /// Seeing one person.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ViewUser {
        pub user_id: String,
    }

    /// Listing people (who they are is the [`Visibility`](super::super::Visibility) beside it).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ListUsers;

    /// Creating the person who will have this id.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CreateUser {
        pub user_id: String,
    }

    /// Changing a person's profile, login, e-mail or password.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct EditUser {
        pub user_id: String,
    }

    /// Disabling or re-enabling a person, ending their sessions, removing their two-factor.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DisableUser {
        pub user_id: String,
    }

    /// Deleting (anonymising) a person.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DeleteUser {
        pub user_id: String,
    }

    /// Sending a person an invitation or a password-reset link.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Invite {
        pub user_id: String,
    }

    /// Granting a person a role over a scope, or taking it back.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ChangeRole {
        pub user_id: String,
        pub role_id: String,
        pub scope: Scope,
    }

    /// Adding a person to a group, or removing them from it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ChangeMembership {
        pub user_id: String,
        pub group_id: String,
    }

    /// Creating, renaming or deleting the group with this id.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ManageGroup {
        pub group_id: String,
    }

    /// Creating, changing or deleting the role with this id.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DefineRole {
        pub role_id: String,
    }

    /// Registering, changing, rotating the secret of or deleting the application (OpenID
    /// Connect client) with this id.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ManageApp {
        pub app_id: String,
    }

    /// Changing the organisation's settings (and its outbox, and its alert defaults).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct OrgSettings;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReadAudit;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Import;

    /// Importing password hashes made by another system (WordPress), which members then sign
    /// in with.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ImportPasswordHashes;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Export;

    /// Issuing a session or an API token to a person, or ending their own ones.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct IssueToken {
        pub user_id: String,
    }

    /// Keeping a person's e-mail signature: one's own, or, for whoever may edit them, the
    /// signature of someone whose roles allow one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct KeepSignature {
        pub user_id: String,
    }

    /// Choosing which e-mail alerts a person receives: one's own, or those of someone one may
    /// edit.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ChooseAlerts {
        pub user_id: String,
    }

    /// Deleting, as its import is undone, a person the import created (who leaves no trace
    /// but the audit trail).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UndoCreation {
        pub user_id: String,
    }
}

use action::*;

/// An action on one person.
pub trait OnUser {
    fn user_id(&self) -> &str;
}

macro_rules! on_user {
    ($($t:ty),*) => {$(
        impl OnUser for $t {
            fn user_id(&self) -> &str {
                &self.user_id
            }
        }
    )*};
}
on_user!(
    ViewUser,
    CreateUser,
    EditUser,
    DisableUser,
    DeleteUser,
    Invite,
    ChangeRole,
    ChangeMembership,
    IssueToken,
    KeepSignature,
    ChooseAlerts,
    UndoCreation
);

/// Actions that may write a person's row: their profile ([`EditUser`]) or their status
/// ([`DisableUser`]).
pub trait WritesUser: OnUser {}
impl WritesUser for EditUser {}
impl WritesUser for DisableUser {}

/// Actions that may end a person's sessions and tokens: a new password ([`EditUser`]),
/// disabling or deleting them, and one's own sign-out ([`IssueToken`]).
pub trait EndsSessions: OnUser {}
impl EndsSessions for EditUser {}
impl EndsSessions for DisableUser {}
impl EndsSessions for DeleteUser {}
impl EndsSessions for IssueToken {}

/// Actions that may write a person's signature: keeping one's own, or deleting the person
/// (which empties it).
pub trait WritesSignature: OnUser {}
impl WritesSignature for KeepSignature {}
impl WritesSignature for DeleteUser {}

impl<A: OnUser> Allowed<A> {
    /// Whether this proof is for `user_id` of `org_id`: the store refuses a row that is not
    /// the proof's target.
    pub fn is_for(&self, org_id: &str, user_id: &str) -> bool {
        self.org_id == org_id && self.action.user_id() == user_id
    }
}
