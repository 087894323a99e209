//! Signing in, and recognising a session or API token on each request.
//!
//! Secrets are 256-bit random strings stored as SHA-256 hashes (see [`crate::secret`]): sessions
//! (`ses_…`, from signing in; carried as a bearer token or a cookie) and API tokens (`sat_…`,
//! made for scripts). Both live in the database, so several instances share them.
//!
//! - [`sign_in`]: password (and second factor), throttled ([`throttle`]), with device cookies
//!   ([`device`]) so that known browsers are not locked out by others' failures.
//! - [`sessions`]: who a request is, listing and ending sessions.
//! - [`api_tokens`]: making, listing and revoking API tokens.

pub mod api_tokens;
pub mod device;
pub mod sessions;
pub mod sign_in;
pub mod throttle;

pub use api_tokens::{NewApiToken, create_api_token};
pub use sessions::{authenticate, sign_out};
pub use sign_in::{SignInInput, SignedIn, sign_in};

/// A session ends this long after sign-in, whatever happens.
pub const SESSION_LIFETIME_MS: i64 = 12 * 3600 * 1000;
/// A session unused for this long ends.
pub const SESSION_IDLE_MS: i64 = 2 * 3600 * 1000;
/// Last-use times are written at most this often per token, not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;
