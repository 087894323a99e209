//! What can go wrong in an operation, as data. Each edge (problem+json, a CLI line) renders it
//! once, in the person's language, through [`crate::i18n`].

use sesame_core::FieldError;
use sesame_core::policy::Denied;
use sesame_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Values refused, each with its field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A value already used by someone else (e-mail, login, name).
    #[error("conflict")]
    Conflict(Vec<FieldError>),
    /// A rule of the organisation refused the change (`user.last_admin`, …).
    #[error("refused: {}", .0.code)]
    Refused(FieldError),
    #[error("permission denied")]
    Denied(Denied),
    /// A role one may not give or take back, named (`role.outranks`, `role.assign_missing`).
    #[error("role refused: {}", .0.code)]
    RoleDenied(FieldError),
    /// `0` names what was not found: `user`, `group`, `role`, `organisation`, `token`.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Missing, wrong or expired credentials; the code says which (`auth.failed`, …).
    #[error("not authenticated: {0}")]
    Unauthenticated(&'static str),
    /// Two-factor sign-in is on for this person and the code is missing or wrong; the code
    /// says which (`mfa.code_required`, `mfa.code_invalid`, …).
    #[error("two-factor code required: {0}")]
    SecondFactor(&'static str),
    /// The organisation requires two-factor of this person, who has not enrolled yet.
    #[error("two-factor enrolment required")]
    EnrolmentRequired,
    /// Account security (password, e-mail, two-factor, sessions, API tokens, signature) asked
    /// with an API token: only a signed-in session may (see [`crate::Principal::in_person`]).
    #[error("a signed-in session is required")]
    SessionRequired,
    /// Too many failed sign-ins: wait this many seconds.
    #[error("throttled for {0} s")]
    Throttled(u64),
    /// A single-use link that cannot be used: `link.invalid` (unknown, forged, truncated),
    /// `link.wrong_kind`, or — worth asking for a new one — `link.expired`, `link.used`,
    /// `link.replaced`.
    #[error("link: {0}")]
    Link(&'static str),
    /// Too much work queued (password hashing): try again shortly.
    #[error("busy")]
    Busy,
    /// The disk holding the database is full; the detail is for the log and the operator.
    #[error("disk full: {0}")]
    DiskFull(String),
    /// The database cannot be written (read-only file, directory, disk or database).
    #[error("read-only: {0}")]
    ReadOnly(String),
    /// The database server cannot be reached (stopped, restarting, out of connections); the
    /// detail is for the log and the operator.
    #[error("database unreachable: {0}")]
    Unreachable(String),
    /// The per-recipient limit of e-mails sent one at a time is reached for `address`, until
    /// `retry_at` (Unix ms; `wait_secs` from now).
    #[error("recipient limit reached for {address}")]
    RecipientLimit {
        address: String,
        limit: usize,
        retry_at: i64,
        wait_secs: u64,
    },
    /// The server is stopping: the operation (an import) was rolled back, nothing of it kept.
    #[error("interrupted: the server is stopping")]
    Interrupted,
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Taken(column) => {
                let field = column;
                Error::Conflict(vec![FieldError::new(field, taken_code(column))])
            }
            StoreError::Full(detail) => Error::DiskFull(detail),
            StoreError::ReadOnly(detail) => Error::ReadOnly(detail),
            StoreError::Unreachable(detail) => Error::Unreachable(detail),
            other => Error::Store(other),
        }
    }
}

impl Error {
    /// What went wrong, field by field, as every edge shows it (problem+json, a CLI line). A
    /// machine problem is only `server.internal`: its detail is for the log, not the person.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::Invalid(v) | Error::Conflict(v) => v.clone(),
            Error::Refused(e) | Error::RoleDenied(e) => vec![e.clone()],
            Error::Denied(d) => {
                vec![FieldError::new("", d.code()).with("permission", d.permissions())]
            }
            Error::NotFound(what) => vec![FieldError::new("", not_found_code(what))],
            Error::Unauthenticated(code) => vec![FieldError::new("", code)],
            Error::SecondFactor(code) => vec![FieldError::new("totp", code)],
            Error::EnrolmentRequired => vec![FieldError::new("", "auth.mfa_enrolment_required")],
            Error::SessionRequired => vec![FieldError::new("", "auth.session_required")],
            Error::Throttled(secs) => {
                vec![FieldError::new("", "auth.throttled").with("seconds", secs.to_string())]
            }
            Error::Link(code) => vec![FieldError::new("token", code)],
            Error::Busy => vec![FieldError::new("", "server.busy")],
            Error::DiskFull(_) => vec![FieldError::new("", "storage.full")],
            Error::ReadOnly(_) => vec![FieldError::new("", "storage.read_only")],
            Error::Unreachable(_) => vec![FieldError::new("", "storage.unreachable")],
            Error::RecipientLimit {
                address,
                limit,
                retry_at,
                wait_secs,
            } => vec![
                FieldError::new("recipient", "mail.recipient_limit")
                    .with("address", address)
                    .with("limit", limit.to_string())
                    .with("minutes", wait_secs.div_ceil(60).max(1).to_string())
                    .with("retry_at", crate::time::rfc3339(*retry_at)),
            ],
            Error::Interrupted => vec![FieldError::new("", "import.interrupted")],
            Error::Store(_) | Error::Internal(_) => vec![FieldError::new("", "server.internal")],
        }
    }
}

fn not_found_code(what: &str) -> &'static str {
    match what {
        "user" => "notfound.user",
        "group" => "notfound.group",
        "app" => "notfound.app",
        "role" => "notfound.role",
        "organisation" => "notfound.organisation",
        "token" => "notfound.token",
        "session" => "notfound.session",
        "message" => "notfound.message",
        "import" => "notfound.import",
        "import_errors" => "notfound.import_errors",
        "passkey" => "notfound.passkey",
        _ => "notfound.route",
    }
}

fn taken_code(column: &str) -> &'static str {
    match column {
        "email" => "email.taken",
        "login" => "login.taken",
        "name" => "name.taken",
        "slug" => "slug.taken",
        _ => "value.taken",
    }
}

impl From<Denied> for Error {
    fn from(d: Denied) -> Self {
        Error::Denied(d)
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(vec![e])
    }
}

impl Error {
    /// Whether the machine, not the request, is at fault: the database or its disk. The CLI
    /// shows the detail to the operator; the API and the pages say what to do.
    pub fn is_machine(&self) -> bool {
        matches!(
            self,
            Error::Store(_)
                | Error::Internal(_)
                | Error::DiskFull(_)
                | Error::ReadOnly(_)
                | Error::Unreachable(_)
        )
    }

    /// Whether a new link may be asked for (the link was good but is spent).
    pub fn renewable(&self) -> bool {
        matches!(
            self,
            Error::Link("link.expired" | "link.used" | "link.replaced")
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
