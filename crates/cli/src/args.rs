//! The command line, as PRODUCT.md fixes it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "sesame",
    version,
    about = "Sésame: user accounts, roles and groups for associations and small organisations."
)]
pub struct Cli {
    #[command(flatten)]
    pub db: Db,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives. Every command that touches data takes these.
#[derive(Args, Debug, Clone)]
pub struct Db {
    /// Data directory; holds the SQLite database unless --database-url is given.
    #[arg(
        long,
        global = true,
        env = "SESAME_DATA_DIR",
        default_value = "./sesame-data"
    )]
    pub data_dir: PathBuf,
    /// `postgres://user@host/db` (or `sqlite://path?mode=rwc`) instead of the data directory's SQLite.
    #[arg(
        long,
        global = true,
        env = "SESAME_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// The organisation's short name, when several share the database. With `init`, the
    /// name of the organisation to create ("AMAP des Lilas").
    #[arg(long, global = true, env = "SESAME_ORG")]
    pub org: Option<String>,
}

/// See `sesame serve --log-format`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Runs the HTTP service. On an empty data directory, sets itself up and prints a one-time
    /// link to create the first administrator.
    Serve {
        #[arg(long, env = "SESAME_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// The address people reach Sésame at (behind a proxy: `https://comptes.example.org`).
        /// Session cookies are `Secure` when it is `https://`; without it, unless listening on
        /// loopback.
        #[arg(long = "public-url", env = "SESAME_PUBLIC_URL")]
        public_url: Option<String>,
        /// Sends e-mail through this SMTP server: `smtp://host:25` (plain),
        /// `smtp://host:587?tls=required` (STARTTLS), `smtps://host:465` (TLS);
        /// `smtp://user:password@host…`, or SESAME_SMTP_USER / SESAME_SMTP_PASSWORD. Without it,
        /// e-mails are written as .eml files under <data-dir>/mail/ and their links logged.
        #[arg(long = "smtp-url", env = "SESAME_SMTP_URL")]
        smtp_url: Option<String>,
        /// Sender address of organisations that set none (default: sesame@ the public host).
        #[arg(long = "mail-from", env = "SESAME_MAIL_FROM")]
        mail_from: Option<String>,
        /// The reverse proxies in front of Sésame: addresses and ranges, comma-separated
        /// (`127.0.0.1,10.0.0.0/8`). Only for connections from one of them is the client's
        /// address read from X-Forwarded-For (or Forwarded): the right-most one that is not a
        /// proxy. None by default: those headers are then ignored.
        #[arg(long = "trusted-proxies", env = "SESAME_TRUSTED_PROXIES")]
        trusted_proxies: Option<String>,
        /// Serves Prometheus metrics at http://ADDR/metrics, on this address only, without
        /// authentication: keep it on loopback or a monitoring network (`127.0.0.1:9464`).
        #[arg(long = "metrics-listen", env = "SESAME_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        /// Also serves /metrics on the main address, to requests carrying the token this file
        /// holds (`Authorization: Bearer …`). Without this option or --metrics-listen there
        /// are no metrics at all.
        #[arg(long = "metrics-token-file", env = "SESAME_METRICS_TOKEN_FILE")]
        metrics_token_file: Option<PathBuf>,
        /// The log's format on standard error: `text` for people, `json` (one object a line)
        /// for log collectors.
        #[arg(long = "log-format", env = "SESAME_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
    /// Sets up an organisation and its first administrator, non-interactively.
    Init {
        /// amap, daycare or generic.
        #[arg(long)]
        profile: String,
        #[arg(long = "admin-login")]
        admin_login: String,
        #[arg(long = "admin-email")]
        admin_email: String,
        /// A file whose first line is the administrator's password; without it the
        /// administrator is created "invited".
        #[arg(long = "admin-password-file")]
        admin_password_file: Option<PathBuf>,
        /// fr or en: the organisation's language.
        #[arg(long, default_value = "fr")]
        language: String,
        /// Short name; derived from the name by default.
        #[arg(long)]
        slug: Option<String>,
    },
    /// Users.
    #[command(subcommand)]
    User(UserCommand),
    /// Groups (facilities, rooms, distribution places, teams).
    #[command(subcommand)]
    Group(GroupCommand),
    /// Roles.
    #[command(subcommand)]
    Role(RoleCommand),
    /// Applications that sign their users in with Sésame (OpenID Connect clients).
    #[command(subcommand)]
    App(AppCommand),
    /// API tokens for scripts and other applications.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The keys Sésame signs its OpenID Connect tokens with (server-wide).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Invitations not yet accepted: who, since when, how their e-mail fared; sending new ones.
    #[command(subcommand)]
    Invitations(InvitationsCommand),
    /// Imports members from a spreadsheet (XLSX, XLS, ODS, CSV): every row is checked first;
    /// nothing is written when one is wrong, unless --skip-invalid. `import list` lists the
    /// imports of the last 90 days, `import undo ID` undoes one.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Import {
        #[command(subcommand)]
        history: Option<ImportCommand>,
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// Check and report only.
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// E-mail an invitation to each user created.
        #[arg(long)]
        invite: bool,
        /// Write the valid rows even when others are wrong.
        #[arg(long = "skip-invalid")]
        skip_invalid: bool,
        /// Write the faulty rows there, with an "Erreur" column, to fix and import again
        /// (format from its extension: xlsx, ods or csv).
        #[arg(long = "error-file")]
        error_file: Option<PathBuf>,
        /// The roles to give for the file's role names (a WordPress export's): one
        /// `file's role = Sésame role` a line, nothing after `=` for no role.
        #[arg(long = "role-map")]
        role_map: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Exports every user, in the template's columns.
    Export {
        /// xlsx, ods or csv (default: from -o's extension, else xlsx).
        #[arg(long)]
        format: Option<String>,
        /// fr or en (default: the organisation's).
        #[arg(long)]
        lang: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Writes the spreadsheet to fill: headers bold when required, italic when optional,
    /// drop-down lists of roles and groups, and an instructions sheet.
    Template {
        #[arg(long)]
        format: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Writes a consistent copy of the SQLite database to FILE while the server goes on
    /// serving (replaced whole, never half-written). For PostgreSQL, use pg_dump (README).
    Backup { file: PathBuf },
    /// Puts the backup FILE in place of the SQLite database (the one there is kept as
    /// `sesame.db.before-restore`). Refused while a server uses the database, and unless
    /// FILE is a sound Sésame database. For PostgreSQL, use pg_restore (README).
    Restore { file: PathBuf },
}

/// The history of imports.
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// The imports of the last 90 days: when, who, the file, its counts, whether it can be
    /// undone.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Undoes an applied import: the people it created are deleted, the changes it made are
    /// put back. What changed since is left as it is unless confirmed with --confirm.
    Undo {
        /// The import's id (from `import list`).
        id: String,
        /// Only show what the undo would do.
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// Undo anyway what changed since: signed_in (people created who have signed in),
        /// edited_since (fields changed again); comma-separated or repeated.
        #[arg(long, value_delimiter = ',')]
        confirm: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Adds a user.
    Add {
        #[arg(long)]
        email: Option<String>,
        /// Suggested from the names when absent.
        #[arg(long)]
        login: Option<String>,
        #[arg(long = "first-name")]
        first_name: Option<String>,
        #[arg(long = "last-name")]
        last_name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        language: Option<String>,
        /// A role, organisation-wide, or within a group as ROLE@GROUP. Repeatable.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// A group to join. Repeatable.
        #[arg(long = "group")]
        groups: Vec<String>,
        /// A file whose first line is the password; the user is then active at once.
        #[arg(long = "password-file")]
        password_file: Option<PathBuf>,
        /// Sends the invitation e-mail (queued; `sesame serve` delivers it).
        #[arg(long)]
        invite: bool,
        #[arg(long)]
        json: bool,
    },
    /// Lists users.
    List {
        /// Words in the login, e-mail or names.
        #[arg(long)]
        q: Option<String>,
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// `with` or `without` two-factor sign-in.
        #[arg(long = "two-factor")]
        two_factor: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Shows one user (by login or e-mail).
    Show {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Disables a user and ends their sessions.
    Disable {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Enables a disabled user again.
    Enable {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Sets a user's password from a file; ends their sessions.
    Passwd {
        login: String,
        #[arg(long = "password-file")]
        password_file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Removes someone's two-factor sign-in (a lost phone): authenticator app, recovery codes
    /// and passkeys; they sign in with their password and enrol again.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Gives someone a role requires to use two-factor more time to turn it on: `--days N`
    /// more (1–365), or `--until YYYY-MM-DD` (the last day, in the organisation's time zone).
    #[command(name = "extend-2fa")]
    ExtendTwoFactor {
        login: String,
        #[arg(long, conflicts_with = "until")]
        days: Option<i64>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// E-mails an invitation (or, once the person is active, a password-reset link); queued,
    /// `sesame serve` delivers it.
    Invite {
        login: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Creates a group.
    Add {
        name: String,
        /// Free label: installation, salle, lieu, équipe…
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Adds a user (by login) to a group.
    AddMember {
        group: String,
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Removes a user from a group, with the roles they held within it.
    RemoveMember {
        group: String,
        login: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RoleCommand {
    /// Lists roles with their permissions.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Creates an API token for a user; prints it once.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Lifetime in days; none for no expiry.
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum InvitationsCommand {
    /// Lists everyone invited and not yet active: state (pending, expired, failed, not_sent),
    /// invited when and by whom, link expiry, reminders, last e-mail.
    List {
        /// `pending`, `expired`, `failed` or `not_sent`.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 500)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Sends a new invitation (a fresh link; the old one stops working) to the people named
    /// (logins or e-mails), or with `--all`, `--expired`, `--failed` or `--not-sent` to everyone
    /// in that state. Queued; `sesame serve` delivers them.
    Resend {
        logins: Vec<String>,
        #[arg(long, conflicts_with_all = ["expired", "failed", "not_sent"])]
        all: bool,
        #[arg(long, conflicts_with_all = ["failed", "not_sent"])]
        expired: bool,
        #[arg(long, conflicts_with = "not_sent")]
        failed: bool,
        #[arg(long = "not-sent")]
        not_sent: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Lists the signing keys: kid, algorithm, state and dates (never the keys themselves).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Rotates the signing keys now: each current key retires (still published until the
    /// tokens it signed have expired), the published next key starts signing, and a fresh
    /// next key is published. Sésame also rotates them by itself every 90 days.
    Rotate {
        #[arg(long)]
        json: bool,
    },
}

// Parsed once per run: the size of the registration's many options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum AppCommand {
    /// Registers an application; prints its client_id and, for a confidential client, its
    /// secret, this once.
    Add {
        #[arg(long)]
        name: String,
        /// Where the application receives people after sign-in. Repeatable; at least one.
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// A public client (mobile, desktop or single-page app): no secret, PKCE required.
        #[arg(long)]
        public: bool,
        /// The organisation's own application: no consent page.
        #[arg(long)]
        trusted: bool,
        /// Only members of this group may use it (name or id). Repeatable; none: everyone.
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Where the application may send people after sign-out. Repeatable.
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// Called by Sésame when a person signs out (OpenID Connect back-channel logout).
        #[arg(long = "backchannel-logout-uri")]
        backchannel_logout_uri: Option<String>,
        /// Where the person's « Mes applications » tile leads.
        #[arg(long = "launch-url")]
        launch_url: Option<String>,
        /// An image for the tile (default: the name's initial).
        #[arg(long = "logo-url")]
        logo_url: Option<String>,
        /// A host whose reverse proxy asks Sésame who may enter (forward authentication).
        /// Repeatable.
        #[arg(long = "forward-auth-host")]
        forward_auth_hosts: Vec<String>,
        /// RS256 (default) or EdDSA.
        #[arg(long = "id-token-alg")]
        id_token_alg: Option<String>,
        /// Seconds, 60 to 86400 (default 3600).
        #[arg(long = "access-token-lifetime")]
        access_token_lifetime: Option<i64>,
        /// Seconds, 3600 to 31536000 (default 2592000, 30 days).
        #[arg(long = "refresh-token-lifetime")]
        refresh_token_lifetime: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Lists the applications.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Shows one application (by client_id or name).
    Show {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Gives a confidential client a new secret, printed this once; the old one stops working.
    RotateSecret {
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Deletes an application; its tokens end with it.
    Remove {
        app: String,
        #[arg(long)]
        json: bool,
    },
}
