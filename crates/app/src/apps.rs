//! The organisation's applications: the OpenID Connect clients (and reverse-proxied sites) that
//! sign their users in with Sésame. Administrators holding `apps.manage` register, change and
//! delete them ([`manage`]); a confidential client's secret is shown once, at its creation or
//! rotation, and kept only as a SHA-256 hash. Every change is audited, never with the secret.
//!
//! The protocol reads them ([`client`]) through [`find_client`] (a client of one organisation is
//! never found from another's issuer), [`Client::check_secret`], [`Client::redirect_allowed`],
//! [`Client::post_logout_allowed`] and [`may_use`]; the home page through [`tiles`]; forward
//! authentication through [`client_for_host`].
//!
//! Who may use an application: every active member of its organisation, or, once it is
//! restricted to groups, the active members of one of them — and nobody when its groups were
//! all deleted since (deleting a group never opens an application to everyone).

pub mod client;
pub mod input;
pub mod manage;
mod uris;

pub use client::{Client, Tile, client_for_host, find_client, may_use, tiles};
pub use input::AppInput;
pub use manage::{AppView, NewSecret, SavedApp, create, get, list, remove, rotate_secret, update};

/// Bounds of an access token's lifetime, in seconds: one minute to one day.
pub const ACCESS_LIFETIME_S: (i64, i64) = (60, 86_400);
/// Bounds of a refresh token's lifetime, in seconds: one hour to 365 days.
pub const REFRESH_LIFETIME_S: (i64, i64) = (3_600, 31_536_000);
/// The signing algorithms an application may ask its ID tokens in.
pub const ID_TOKEN_ALGS: [&str; 2] = ["RS256", "EdDSA"];

/// The name's first letter, uppercase: a tile's picture when it has no logo.
fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests;
