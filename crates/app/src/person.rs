//! The person a [`crate::Principal`] acts as, as the faces and the operations read them: who
//! they are (id, login), how messages and pages name them, the language they chose. Taken from
//! their stored row when they sign in, follow a link or send a request, and read-only after:
//! nothing outside the application sees the store's row through the one who acts.

use sesame_core::Language;
use sesame_store::users::UserRow;

/// A signed-in person (or one acting through an e-mailed link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    id: String,
    login: String,
    first_name: Option<String>,
    last_name: Option<String>,
    /// `None` when the stored code is one this binary does not know.
    language: Option<Language>,
}

impl Person {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Login ("identifiant").
    pub fn login(&self) -> &str {
        &self.login
    }

    /// How pages and messages name them: "Léa Martin", else their login.
    pub fn display_name(&self) -> String {
        display_name(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            &self.login,
        )
    }

    /// The language they chose, if this binary knows it.
    pub fn language(&self) -> Option<Language> {
        self.language
    }
}

impl From<&UserRow> for Person {
    fn from(u: &UserRow) -> Self {
        Self {
            id: u.id.clone(),
            login: u.login.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            language: Language::parse(&u.language).ok(),
        }
    }
}

/// The one rule for naming a person: first and last name, either alone, else the login.
pub(crate) fn display_name(first: Option<&str>, last: Option<&str>, login: &str) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (Some(n), None) | (None, Some(n)) => n.to_string(),
        (None, None) => login.to_string(),
    }
}
