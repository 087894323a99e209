//! The language of Sésame's domain, with no I/O: value types that cannot hold bad values
//! ([`Email`], [`Login`], [`Phone`], [`PersonName`]), the fixed set of [`Permission`]s, the role
//! presets of each organisation [`Profile`], and the delegation [`policy`] every operation goes
//! through.
//!
//! Every parser here is the one rule for its value: the API, the pages, the CLI and the import
//! call the same function, so a value accepted in one place is accepted everywhere.

pub mod email;
pub mod error;
pub mod language;
pub mod legacy_hash;
pub mod login;
pub mod name;
pub mod org;
pub mod permission;
pub mod phone;
pub mod policy;
pub mod preset;
pub mod text;
pub mod user;
pub mod zone;

pub use email::Email;
pub use error::{FieldError, Invalid};
pub use language::Language;
pub use legacy_hash::{LegacyHash, LegacyKind};
pub use login::{Login, login_base, suggest_login, suggest_login_from};
pub use name::{PersonName, fold, parse_label};
pub use org::{Profile, Slug};
pub use permission::{Permission, PermissionSet};
pub use phone::{Country, Phone};
pub use user::{Status, UserField};
pub use zone::Zone;
