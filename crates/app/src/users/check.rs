//! The rules a user's fields must follow, in one place: the API, the pages, the CLI and the
//! spreadsheet import all go through [`check_fields`], so a row accepted by one is accepted by
//! all.

use crate::Org;
use crate::patch::Patch;
use sesame_core::{Email, FieldError, Invalid, Language, Login, PersonName, Phone, UserField};

/// The fields of a user as typed (strings), before any check: borrowed from the request that
/// carries them ([`super::NewUser::fields`], [`super::UserChanges::fields`]) or from an
/// import row's cells.
#[derive(Debug, Clone, Default)]
pub struct RawFields<'a> {
    pub login: Patch<&'a str>,
    pub email: Patch<&'a str>,
    pub first_name: Patch<&'a str>,
    pub last_name: Patch<&'a str>,
    pub phone: Patch<&'a str>,
    pub language: Patch<&'a str>,
    pub address_line: Patch<&'a str>,
    pub postal_code: Patch<&'a str>,
    pub city: Patch<&'a str>,
}

/// The nine fields of a request type that has them under these names (as `Option<String>` or
/// `Patch<String>`), borrowed for the checks: written once for [`super::NewUser`] and
/// [`super::UserChanges`].
macro_rules! raw_fields_of {
    ($request:expr) => {
        $crate::users::check::RawFields {
            login: $request.login.as_deref().into(),
            email: $request.email.as_deref().into(),
            first_name: $request.first_name.as_deref().into(),
            last_name: $request.last_name.as_deref().into(),
            phone: $request.phone.as_deref().into(),
            language: $request.language.as_deref().into(),
            address_line: $request.address_line.as_deref().into(),
            postal_code: $request.postal_code.as_deref().into(),
            city: $request.city.as_deref().into(),
        }
    };
}
pub(crate) use raw_fields_of;

impl RawFields<'_> {
    /// Whether `f` was given with something other than blanks.
    pub fn filled(&self, f: UserField) -> bool {
        let filled = |p: &Patch<&str>| matches!(p, Patch::Value(s) if !sesame_core::error::trim_all(s).is_empty());
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
pub fn check_fields(org: &Org, raw: &RawFields<'_>) -> Result<Fields, Vec<FieldError>> {
    let (fields, errors) = check_each(org, raw);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// As [`check_fields`], keeping the fields that passed beside the errors of the others, so
/// that the checks that follow (a login already taken) still run on them.
pub fn check_each(org: &Org, raw: &RawFields<'_>) -> (Fields, Vec<FieldError>) {
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
    raw: &Patch<&str>,
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
