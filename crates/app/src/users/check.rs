//! The rules a user's fields must follow, in one place: the API, the CLI and the spreadsheet
//! import all go through [`check_fields`], so a row accepted by one is accepted by all.

use crate::Org;
use crate::patch::Patch;
use sesame_core::{Email, FieldError, Invalid, Language, Login, PersonName, Phone, UserField};

/// The fields of a user as typed (strings), before any check.
#[derive(Debug, Clone, Default)]
pub struct RawFields {
    pub login: Patch<String>,
    pub email: Patch<String>,
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub phone: Patch<String>,
    pub language: Patch<String>,
    pub address_line: Patch<String>,
    pub postal_code: Patch<String>,
    pub city: Patch<String>,
}

impl RawFields {
    /// Whether `f` was given with something other than blanks.
    pub fn filled(&self, f: UserField) -> bool {
        let filled = |p: &Patch<String>| matches!(p, Patch::Value(s) if !sesame_core::error::trim_all(s).is_empty());
        match f {
            UserField::Login => filled(&self.login),
            UserField::Email => filled(&self.email),
            UserField::FirstName => filled(&self.first_name),
            UserField::LastName => filled(&self.last_name),
            UserField::Phone => filled(&self.phone),
            UserField::Address => filled(&self.address_line) && filled(&self.city),
        }
    }
}

/// The fields after their checks. `None` inside means "cleared"; an outer `None` "untouched".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub login: Option<Option<Login>>,
    pub email: Option<Option<Email>>,
    pub first_name: Option<Option<PersonName>>,
    pub last_name: Option<Option<PersonName>>,
    pub phone: Option<Option<Phone>>,
    pub language: Option<Language>,
    pub address_line: Option<Option<String>>,
    pub postal_code: Option<Option<String>>,
    pub city: Option<Option<String>>,
}

/// Parses every given field, collecting every error rather than stopping at the first. An
/// empty string counts as clearing the field.
pub fn check_fields(org: &Org, raw: &RawFields) -> Result<Fields, Vec<FieldError>> {
    let (fields, errors) = check_each(org, raw);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// As [`check_fields`], keeping the fields that passed beside the errors of the others, so
/// that the checks that follow (a login already taken) still run on them.
pub fn check_each(org: &Org, raw: &RawFields) -> (Fields, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut out = Fields {
        login: field(&raw.login, "login", &mut errors, Login::parse),
        email: field(&raw.email, "email", &mut errors, Email::parse),
        first_name: field(
            &raw.first_name,
            "first_name",
            &mut errors,
            PersonName::parse,
        ),
        last_name: field(&raw.last_name, "last_name", &mut errors, PersonName::parse),
        phone: field(&raw.phone, "phone", &mut errors, |s| {
            Phone::parse(s, org.country)
        }),
        address_line: field(&raw.address_line, "address_line", &mut errors, |s| {
            free_text(s, 200)
        }),
        postal_code: field(&raw.postal_code, "postal_code", &mut errors, |s| {
            free_text(s, 20)
        }),
        city: field(&raw.city, "city", &mut errors, |s| free_text(s, 100)),
        language: None,
    };
    out.language = match &raw.language {
        Patch::Value(s) if !sesame_core::error::trim_all(s).is_empty() => {
            match Language::parse(s) {
                Ok(l) => Some(l),
                Err(e) => {
                    errors.push(e.on("language"));
                    None
                }
            }
        }
        _ => None,
    };
    (out, errors)
}

fn field<T>(
    raw: &Patch<String>,
    name: &str,
    errors: &mut Vec<FieldError>,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Option<Option<T>> {
    match raw {
        Patch::Absent => None,
        Patch::Null => Some(None),
        Patch::Value(s) if sesame_core::error::trim_all(s).is_empty() => Some(None),
        Patch::Value(s) => match parse(s) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                errors.push(e.on(name));
                None
            }
        },
    }
}

fn free_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let v = sesame_core::error::trim_all(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if v.chars().count() > max {
        return Err(Invalid::new("text.too_long").with("max", max.to_string()));
    }
    if v.chars().any(char::is_control) {
        return Err(Invalid::new("text.invalid_chars"));
    }
    Ok(v)
}

/// The organisation's required fields that `present` leaves empty. The login is never
/// reported: when missing it is suggested from the names.
pub fn missing_required(org: &Org, present: impl Fn(UserField) -> bool) -> Vec<FieldError> {
    org.required
        .iter()
        .filter(|f| **f != UserField::Login && !present(**f))
        .map(|f| {
            let field = match f {
                UserField::Address => "address_line",
                other => other.code(),
            };
            FieldError::new(field, "field.required")
        })
        .collect()
}
