//! Sésame's operations, one module per thing a person does. Each operation parses its input
//! with `sesame-core`'s value types, asks the [`policy`](sesame_core::policy) for a proof, then
//! writes everything — the change, its audit row and its e-mail — in one [`work::Work`], which
//! commits and then wakes the mail worker. The HTTP API and the CLI are thin faces over these
//! functions; neither reaches the store directly for a write.

pub mod access;
pub mod apps;
pub mod audit;
pub mod auth;
pub mod delivery;
pub mod download;
pub mod error;
pub mod grace;
pub mod groups;
pub mod i18n;
pub mod import;
pub mod invitations;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod notifications;
pub mod oidc;
pub mod once;
pub mod outbox;
pub mod passkeys;
pub mod password;
pub mod patch;
pub mod person;
pub mod recent;
pub mod roles;
pub mod secret;
pub mod settings;
pub mod setup;
pub mod signature;
pub mod target;
pub mod time;
pub mod totp;
pub mod two_factor;
pub mod uploads;
pub mod users;
pub mod work;

pub use error::{Error, Result};
pub use person::Person;

use sesame_core::policy::{Actor, Grant, Scope};
use sesame_core::{Country, Language, PermissionSet, Profile, UserField, Zone};
use sesame_store::Store;
use sesame_store::orgs::OrgRow;
use sesame_store::roles::HeldRole;

/// Everything an operation needs: the store, the password hashing pool, the sign-in throttle.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub hasher: password::Hasher,
    pub throttle: auth::throttle::Policy,
    /// Sign-in blocks already seen by this instance (see [`auth::throttle::Known`]).
    pub blocked: auth::throttle::Known,
    /// The key of the sign-in's device cookies, read from the database once.
    pub device_key: auth::device::DeviceKey,
    /// How e-mail leaves (files by default).
    pub mailer: mail::Mailer,
    /// The imports this instance runs.
    pub imports: import::jobs::Running,
    /// The writes this instance committed: what makes [`recent`] answers stale at once.
    pub writes: recent::Writes,
    /// Who holds a session or API token, as read less than a second ago.
    pub(crate) holders: recent::Recent<auth::sessions::Holder>,
    /// The claims an application's access token opens, and when it expires, as read less than
    /// a second ago.
    pub(crate) claims: recent::Recent<(serde_json::Map<String, serde_json::Value>, i64)>,
    /// What `/metrics` reports ([`metrics`]).
    pub metrics: metrics::Metrics,
}

/// Installs the one TLS provider of the process: `ring`, which sqlx's TLS already builds, for
/// every HTTP client (reqwest is built without a provider of its own, so that aws-lc's C build
/// is not needed; a client built before this panics). [`App::new`] calls it; a program that
/// builds an HTTP client before any `App` (a test's) calls it first. Installing it twice is
/// harmless.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl App {
    pub fn new(store: Store) -> Self {
        install_tls_provider();
        let writes = recent::Writes::default();
        Self {
            store,
            hasher: password::Hasher::for_this_machine(),
            throttle: auth::throttle::Policy::default(),
            blocked: auth::throttle::Known::default(),
            device_key: auth::device::DeviceKey::default(),
            mailer: mail::Mailer::default(),
            imports: import::jobs::Running::default(),
            holders: recent::Recent::new(writes.clone()),
            claims: recent::Recent::new(writes.clone()),
            writes,
            metrics: metrics::Metrics::new(),
        }
    }

    /// Whether the database answers a read: what `/healthz` reports.
    pub async fn health(&self) -> Result<()> {
        let mut conn = self.store.read().await?;
        sesame_store::orgs::list(&mut conn).await?;
        Ok(())
    }

    /// Says that the database was changed outside this instance's operations (by hand, by a
    /// test, by a restore): what [`recent`] kept is read again.
    pub fn changed_outside(&self) {
        self.writes.committed();
    }

    pub fn with_mailer(mut self, mailer: mail::Mailer) -> Self {
        self.mailer = mailer;
        self
    }

    /// The organisation named by `slug`, or the only one when `slug` is `None`.
    pub async fn org(&self, slug: Option<&str>) -> Result<Org> {
        let mut conn = self.store.read().await?;
        let row = match slug {
            Some(s) => sesame_store::orgs::by_slug(&mut conn, s)
                .await?
                .ok_or(Error::NotFound("organisation"))?,
            None => {
                let mut all = sesame_store::orgs::list(&mut conn).await?;
                match all.len() {
                    0 => return Err(Error::NotFound("organisation")),
                    1 => all.remove(0),
                    _ => {
                        let slugs = all
                            .iter()
                            .map(|o| o.slug.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(Error::Invalid(vec![
                            sesame_core::FieldError::new("org", "org.ambiguous")
                                .with("slugs", slugs),
                        ]));
                    }
                }
            }
        };
        Ok(Org::from_row(row))
    }

    /// The organisation with this id (the protocol's background work knows only ids).
    pub async fn org_by_id(&self, id: &str) -> Result<Org> {
        let mut conn = self.store.read().await?;
        sesame_store::orgs::get(&mut conn, id)
            .await?
            .map(Org::from_row)
            .ok_or(Error::NotFound("organisation"))
    }

    /// The organisation an anonymous visitor names (signing in, asking for a password link),
    /// without ever telling which organisations exist: `Ok(None)` for an identifier that names
    /// none, which the caller answers exactly as it answers a wrong password or an unknown
    /// address; `org.required` on the field `org` when several organisations share this server
    /// and the visitor named none (never their list, unlike [`App::org`] for the operator).
    pub async fn org_for_visitor(&self, slug: Option<&str>) -> Result<Option<Org>> {
        let mut conn = self.store.read().await?;
        match slug.map(|s| sesame_core::error::trim_all(s).to_lowercase()) {
            Some(s) if !s.is_empty() => Ok(sesame_store::orgs::by_slug(&mut conn, &s)
                .await?
                .map(Org::from_row)),
            _ => {
                let mut all = sesame_store::orgs::list(&mut conn).await?;
                match all.len() {
                    0 => Err(Error::NotFound("organisation")),
                    1 => Ok(Some(Org::from_row(all.remove(0)))),
                    _ => Err(Error::Invalid(vec![sesame_core::FieldError::new(
                        "org",
                        "org.required",
                    )])),
                }
            }
        }
    }

    /// Whether several organisations share this server: the sign-in and forgotten-password
    /// pages then ask which one (and list none).
    pub async fn several_orgs(&self) -> Result<bool> {
        let mut conn = self.store.read().await?;
        Ok(sesame_store::orgs::list(&mut conn).await?.len() > 1)
    }

    /// The operator at the command line, acting on `org` with every right.
    pub fn operator(&self, org: Org) -> Principal {
        Principal {
            actor: Actor::operator(org.id()),
            org,
            person: None,
            source: Some("cli".into()),
            token: None,
            must_enrol: false,
        }
    }
}

/// A person as the rules see them when they act on themselves: whatever they hold, the rules
/// for oneself (editing one's profile, one's own tokens) ask nothing more.
pub(crate) fn themselves(user_id: &str) -> sesame_core::policy::Subject<'_> {
    sesame_core::policy::Subject {
        user_id,
        groups: &[],
        grants: &[],
    }
}

/// An organisation with its settings parsed.
#[derive(Debug, Clone)]
pub struct Org {
    pub row: OrgRow,
    pub profile: Profile,
    pub language: Language,
    pub country: Country,
    pub required: Vec<UserField>,
    /// The zone people read its dates in.
    pub zone: Zone,
}

impl Org {
    pub fn from_row(row: OrgRow) -> Self {
        Self {
            profile: Profile::parse(&row.profile).unwrap_or(Profile::Generic),
            language: Language::parse(&row.language).unwrap_or_default(),
            country: Country::parse(&row.country)
                .or_else(|_| Country::parse("FR"))
                .expect("FR is a country"),
            required: sesame_core::user::parse_required_fields(&row.required_fields),
            zone: Zone::from_stored(&row.time_zone),
            row,
        }
    }

    pub fn id(&self) -> &str {
        &self.row.id
    }

    pub fn requires(&self, field: UserField) -> bool {
        self.required.contains(&field)
    }
}

/// Who is acting, in which organisation, from where.
#[derive(Debug, Clone)]
pub struct Principal {
    pub org: Org,
    pub actor: Actor,
    /// Whom they act as; `None` for the operator at the command line and for a request
    /// nobody is signed in to. Read through [`Principal::person`].
    pub(crate) person: Option<Person>,
    /// Source address, or `cli`.
    pub source: Option<String>,
    /// The session or API token used, if any.
    pub token: Option<TokenUse>,
    /// The organisation requires two-factor of one of this person's roles and they have not
    /// enrolled: they may do nothing but enrol (and see who they are, and sign out).
    pub must_enrol: bool,
}

/// The credential a request came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUse {
    pub id: String,
    pub kind: TokenKind,
    /// The permissions an API token is limited to, if it is.
    pub cap: Option<PermissionSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A sign-in session (bearer token or cookie).
    Session,
    /// An API token made for a script or another application.
    Api,
}

/// Proof that the caller acts in person: through a sign-in session (the web pages' cookie or a
/// bearer session token from `POST /api/v1/auth/login`), an e-mailed link, or at the command
/// line — not through an API token. The operations on one's own account's security take it
/// instead of a bare [`Principal`], so a face that forgot to ask does not compile; the one way
/// to hold one is [`Principal::in_person`].
#[derive(Debug, Clone)]
pub struct InPerson(Principal);

impl std::ops::Deref for InPerson {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.0
    }
}

impl Principal {
    /// How the audit log names the actor: their login, `cli` for the operator, `anonymous` for a
    /// request nobody is signed in to (a failed sign-in, the setup link).
    pub fn label(&self) -> String {
        match (&self.person, self.source.as_deref()) {
            (Some(p), _) => p.login().to_string(),
            (None, Some("cli")) => "cli".to_string(),
            (None, _) => "anonymous".to_string(),
        }
    }

    /// The person acting, if a person acts.
    pub fn person(&self) -> Option<&Person> {
        self.person.as_ref()
    }

    /// The id of the person acting, if a person acts.
    pub fn user_id(&self) -> Option<&str> {
        self.person.as_ref().map(Person::id)
    }

    /// The id of the session this request came with, if it came with one.
    pub fn session_id(&self) -> Option<&str> {
        self.token
            .as_ref()
            .filter(|t| t.kind == TokenKind::Session)
            .map(|t| t.id.as_str())
    }

    /// Proof that the signed-in person acts on their own sessions and tokens (signing out,
    /// ending their other sessions, revoking one of their tokens).
    pub(crate) fn own_tokens(
        &self,
    ) -> Result<sesame_core::policy::Allowed<sesame_core::policy::action::IssueToken>> {
        let id = self
            .user_id()
            .ok_or(Error::Unauthenticated("auth.required"))?;
        Ok(self.actor.may_issue_token(&themselves(id))?)
    }

    /// The one rule on how a person must come to act on their own account's security — password,
    /// e-mail, two-factor, sessions, API tokens, signature: in person (see [`InPerson`]), never
    /// through an API token. A token made for a script (say, limited to reading users and
    /// expiring tomorrow) could otherwise turn on two-factor for its owner and keep the secret,
    /// end their sessions or make itself a token that never expires.
    pub fn in_person(&self) -> Result<InPerson> {
        match &self.token {
            Some(TokenUse {
                kind: TokenKind::Api,
                ..
            }) => Err(Error::SessionRequired),
            _ => Ok(InPerson(self.clone())),
        }
    }

    /// [`Principal::in_person`] when `user_id` is the caller's own account: what the
    /// administration routes ask before touching someone's e-mail, sessions or two-factor, which
    /// an administrator may also aim at themselves.
    pub fn in_person_if_own(&self, user_id: &str) -> Result<()> {
        if self.user_id() == Some(user_id) {
            self.in_person().map(drop)
        } else {
            Ok(())
        }
    }

    /// Refuses anything but enrolment to someone who must enrol in two-factor first.
    pub fn enrolled_if_required(&self) -> Result<()> {
        if self.must_enrol {
            Err(Error::EnrolmentRequired)
        } else {
            Ok(())
        }
    }

    /// The language to answer in when the request names none: the person's, else the
    /// organisation's.
    pub fn language(&self) -> Language {
        self.person
            .as_ref()
            .and_then(Person::language)
            .unwrap_or(self.org.language)
    }
}

/// Turns stored assignments into the policy's grants. A permission code the binary does not
/// know (written by a newer version) grants nothing.
pub(crate) fn grants_of(held: &[HeldRole]) -> Vec<Grant> {
    held.iter()
        .map(|h| Grant {
            role_id: h.role_id.clone(),
            permissions: permissions_of(&h.permissions),
            scope: h.group_id.clone().map_or(Scope::Organisation, Scope::Group),
        })
        .collect()
}

pub(crate) fn permissions_of(stored: &str) -> PermissionSet {
    stored
        .split([' ', ','])
        .filter_map(|c| sesame_core::Permission::parse(c).ok())
        .collect()
}
