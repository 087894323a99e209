//! The columns of the import template, the export and the error file, and how a spreadsheet's
//! headers are recognised: whatever their case, accents, spaces and punctuation, in French or
//! English, with the names administrators actually use (Courriel, Adresse e-mail, Portable…).

use crate::Org;
use sesame_core::{Language, UserField};

/// A column Sésame knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Login,
    Email,
    FirstName,
    LastName,
    Phone,
    Language,
    AddressLine,
    PostalCode,
    City,
    Roles,
    Groups,
    /// A WordPress export's `display_name`: read to fill the names when both are empty.
    DisplayName,
    /// A password hash brought over from WordPress (`user_pass`): never in the template, the
    /// export nor an error file.
    PasswordHash,
}

impl Column {
    /// In the template's order.
    pub const ALL: [Column; 11] = [
        Column::Login,
        Column::Email,
        Column::FirstName,
        Column::LastName,
        Column::Phone,
        Column::Language,
        Column::AddressLine,
        Column::PostalCode,
        Column::City,
        Column::Roles,
        Column::Groups,
    ];

    /// Columns read from other systems' exports (WordPress's `wp user list`), beyond the
    /// template's.
    pub const EXTRA: [Column; 2] = [Column::DisplayName, Column::PasswordHash];

    /// Stable code (also the API's field name), used in error reports.
    pub fn code(self) -> &'static str {
        match self {
            Column::Login => "login",
            Column::Email => "email",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Phone => "phone",
            Column::Language => "language",
            Column::AddressLine => "address_line",
            Column::PostalCode => "postal_code",
            Column::City => "city",
            Column::Roles => "roles",
            Column::Groups => "groups",
            Column::DisplayName => "display_name",
            Column::PasswordHash => "password_hash",
        }
    }

    /// The header the template writes.
    pub fn header(self, lang: Language) -> &'static str {
        let (fr, en) = match self {
            Column::Login => ("Identifiant", "Login"),
            Column::Email => ("Courriel", "E-mail"),
            Column::FirstName => ("Prénom", "First name"),
            Column::LastName => ("Nom", "Last name"),
            Column::Phone => ("Téléphone", "Phone"),
            Column::Language => ("Langue", "Language"),
            Column::AddressLine => ("Adresse", "Address"),
            Column::PostalCode => ("Code postal", "Postal code"),
            Column::City => ("Ville", "City"),
            Column::Roles => ("Rôles", "Roles"),
            Column::Groups => ("Groupes", "Groups"),
            Column::DisplayName => ("Nom affiché", "Display name"),
            Column::PasswordHash => ("Mot de passe chiffré", "Password hash"),
        };
        match lang {
            Language::Fr => fr,
            Language::En => en,
        }
    }

    /// Every name the column is recognised by, folded (see [`key`]).
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Login => &[
                "identifiant",
                "login",
                "userlogin",
                "nomdutilisateur",
                "utilisateur",
                "username",
                "user",
                "userid",
                "identifiantdeconnexion",
            ],
            Column::Email => &[
                "courriel",
                "email",
                "useremail",
                "mail",
                "adresseemail",
                "adressemail",
                "adressecourriel",
                "adresseelectronique",
                "emailaddress",
                "mailaddress",
                "courrielelectronique",
            ],
            Column::FirstName => &["prenom", "prenoms", "firstname", "givenname", "forename"],
            Column::LastName => &[
                "nom",
                "nomdefamille",
                "nomfamille",
                "lastname",
                "surname",
                "familyname",
            ],
            Column::Phone => &[
                "telephone",
                "tel",
                "portable",
                "mobile",
                "phone",
                "phonenumber",
                "telephonemobile",
                "telephoneportable",
                "telportable",
                "telmobile",
                "cellulaire",
                "cell",
                "cellphone",
                "gsm",
                "numerodetelephone",
                "mobilephone",
            ],
            Column::Language => &["langue", "language", "lang", "langage", "languepreferee"],
            Column::AddressLine => &[
                "adresse",
                "address",
                "rue",
                "street",
                "adressepostale",
                "addressline",
                "streetaddress",
                "adresseligne1",
                "addressline1",
            ],
            Column::PostalCode => &[
                "codepostal",
                "cp",
                "postalcode",
                "zip",
                "zipcode",
                "postcode",
            ],
            Column::City => &[
                "ville",
                "city",
                "commune",
                "localite",
                "town",
                "municipalite",
            ],
            Column::Roles => &["role", "roles", "fonction", "fonctions"],
            Column::Groups => &[
                "groupe",
                "groupes",
                "group",
                "groups",
                "installation",
                "installations",
                "lieu",
                "lieux",
                "lieudedistribution",
                "equipe",
                "equipes",
                "facility",
                "facilities",
                "site",
                "team",
            ],
            Column::DisplayName => &["displayname", "nomaffiche", "nomcomplet", "nompublic"],
            Column::PasswordHash => &[
                "userpass",
                "passwordhash",
                "hashedpassword",
                "motdepassechiffre",
                "motdepassehache",
                "empreintedumotdepasse",
            ],
        }
    }

    /// Whether this organisation requires the column. The login never is: it is suggested
    /// from the names when empty.
    pub fn required(self, org: &Org) -> bool {
        match self {
            Column::Email => true,
            Column::FirstName => org.requires(UserField::FirstName),
            Column::LastName => org.requires(UserField::LastName),
            Column::Phone => org.requires(UserField::Phone),
            Column::AddressLine | Column::City => org.requires(UserField::Address),
            _ => false,
        }
    }

    /// Width in characters, for the template and the export.
    pub fn width(self) -> f64 {
        match self {
            Column::Email => 30.0,
            Column::Roles | Column::Groups | Column::AddressLine => 28.0,
            Column::Login | Column::FirstName | Column::LastName => 18.0,
            Column::Phone => 18.0,
            Column::PostalCode | Column::Language => 12.0,
            Column::City | Column::DisplayName => 18.0,
            Column::PasswordHash => 36.0,
        }
    }

    /// The column a header names, if any.
    pub fn recognise(header: &str) -> Option<Column> {
        let k = key(header);
        if k.is_empty() {
            return None;
        }
        Column::ALL
            .into_iter()
            .chain(Column::EXTRA)
            .find(|c| c.names().contains(&k.as_str()))
    }
}

/// Whether a header is the "Erreur" / "Error" column Sésame adds to its error files: a file
/// fixed there and imported again keeps it, and it is left aside, not reported as unknown.
pub fn is_error_column(header: &str) -> bool {
    let k = key(header);
    [Language::Fr, Language::En]
        .into_iter()
        .any(|l| key(&crate::i18n::message(l, "import.error_column", &[])) == k)
}

/// A header folded for matching: accents transliterated, lowercase, only letters and digits
/// ("Adresse e-mail" → `adresseemail`, "Rôle(s)" → `roles`, "TÉL." → `tel`).
pub fn key(header: &str) -> String {
    sesame_core::fold(header)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_files_own_column_is_known() {
        assert!(is_error_column("Erreur"));
        assert!(is_error_column("ERROR"));
        assert!(!is_error_column("Courriel"));
        assert_eq!(Column::recognise("Erreur"), None);
    }

    #[test]
    fn headers_are_recognised_as_people_write_them() {
        for (header, column) in [
            ("Courriel", Column::Email),
            ("E-mail", Column::Email),
            ("Adresse e-mail", Column::Email),
            ("  EMAIL ", Column::Email),
            ("Prénom", Column::FirstName),
            ("First name", Column::FirstName),
            ("Nom", Column::LastName),
            ("Nom de famille", Column::LastName),
            ("Last Name", Column::LastName),
            ("Téléphone", Column::Phone),
            ("Tél.", Column::Phone),
            ("Portable", Column::Phone),
            ("Identifiant", Column::Login),
            ("Login", Column::Login),
            ("Rôle(s)", Column::Roles),
            ("Roles", Column::Roles),
            ("Groupe", Column::Groups),
            ("Installation", Column::Groups),
            ("Code postal", Column::PostalCode),
            ("Langue", Column::Language),
        ] {
            assert_eq!(Column::recognise(header), Some(column), "{header}");
        }
        assert_eq!(Column::recognise("Date d'adhésion"), None);
        // `wp user list --fields=user_login,user_email,display_name,first_name,last_name,roles,user_pass`
        for (header, column) in [
            ("user_login", Column::Login),
            ("user_email", Column::Email),
            ("display_name", Column::DisplayName),
            ("first_name", Column::FirstName),
            ("last_name", Column::LastName),
            ("roles", Column::Roles),
            ("user_pass", Column::PasswordHash),
        ] {
            assert_eq!(Column::recognise(header), Some(column), "{header}");
        }
        assert_eq!(Column::recognise(""), None);
    }

    #[test]
    fn the_template_headers_are_recognised_in_both_languages() {
        for c in Column::ALL {
            for lang in [Language::Fr, Language::En] {
                assert_eq!(Column::recognise(c.header(lang)), Some(c), "{c:?} {lang:?}");
            }
        }
    }
}
