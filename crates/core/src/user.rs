//! What a user record is made of, independent of storage.

use crate::error::{Invalid, trim_all};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Account status: invited → active → disabled (and back to active when re-enabled); deleted
/// accounts stay as anonymised rows for the audit log, never listed nor signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Created; the person has not chosen a password yet.
    Invited,
    Active,
    Disabled,
    /// Anonymised: what remains of a deleted account.
    Deleted,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::Active => "active",
            Status::Disabled => "disabled",
            Status::Deleted => "deleted",
        }
    }

    /// A status as stored (every status, `deleted` included).
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Status::Invited,
            Status::Active,
            Status::Disabled,
            Status::Deleted,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// A status as a person asks for one (a filter): the three an account can be seen in.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match trim_all(raw).to_ascii_lowercase().as_str() {
            "invited" => Ok(Status::Invited),
            "active" => Ok(Status::Active),
            "disabled" => Ok(Status::Disabled),
            _ => Err(Invalid::new("status.unknown").with("expected", "invited, active, disabled")),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The user fields an organisation may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserField {
    Login,
    Email,
    FirstName,
    LastName,
    Phone,
    Address,
}

impl UserField {
    pub const ALL: [UserField; 6] = [
        UserField::Login,
        UserField::Email,
        UserField::FirstName,
        UserField::LastName,
        UserField::Phone,
        UserField::Address,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UserField::Login => "login",
            UserField::Email => "email",
            UserField::FirstName => "first_name",
            UserField::LastName => "last_name",
            UserField::Phone => "phone",
            UserField::Address => "address",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let v = trim_all(raw);
        UserField::ALL
            .into_iter()
            .find(|f| f.code() == v)
            .ok_or_else(|| {
                Invalid::new("field.unknown").with(
                    "expected",
                    "login, email, first_name, last_name, phone, address",
                )
            })
    }
}

/// Parses the stored, comma-separated list of required fields. E-mail is always required: it is
/// how invitations and resets reach the person.
pub fn parse_required_fields(stored: &str) -> Vec<UserField> {
    let mut fields: Vec<UserField> = stored
        .split(',')
        .filter_map(|f| UserField::parse(f).ok())
        .collect();
    if !fields.contains(&UserField::Email) {
        fields.push(UserField::Email);
    }
    fields.sort();
    fields.dedup();
    fields
}

pub fn format_required_fields(fields: &[UserField]) -> String {
    fields
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",")
}
