//! Importing members from a spreadsheet: every row checked with the rules of
//! `POST /api/v1/users` ([`check_fields`], [`missing_required`], the same role and group
//! resolution and the same policy), matched to an existing user by e-mail (else login), then —
//! unless it is a dry run — everything written in one transaction: nothing at all when a row is
//! wrong, or only the valid rows when asked. Rows are read one at a time from `sesame-sheet`.

pub mod columns;
pub mod files;
pub mod history;
pub mod jobs;
pub mod role_map;
pub mod undo;

use crate::audit::Change;
use crate::i18n::field_error;
use crate::mail::{Kind, Letter};
use crate::users::check::{RawFields, check_fields, missing_required};
use crate::users::{Held, names_for_login};
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, grants_of};
use columns::Column;
use role_map::{RoleMap, RoleMapping};
use serde::{Deserialize, Serialize};
use sesame_core::Status;
use sesame_core::policy::action::ImportPasswordHashes;
use sesame_core::policy::action::{ChangeMembership, ChangeRole};
use sesame_core::policy::plan::{Before, Plan, Refusal, Wanted, plan};
use sesame_core::policy::{Allowed, Grant};
use sesame_core::{FieldError, Language, LegacyHash, login_base, suggest_login_from};
use sesame_sheet::{ReadError, Row, Sheet};
use sesame_store::groups::GroupRow;
use sesame_store::roles::RoleRow;
use sesame_store::users::UserRow;
use sesame_store::{new_id, now_ms};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Rows of the preview in a [`Summary`] (the counts and the errors are always whole).
pub const PREVIEW_ROWS: usize = 1000;

/// The largest file an import takes, through the API as through the pages: the spreadsheet
/// reader's own limit (a test holds them equal).
pub const MAX_UPLOAD: usize = 200 * 1024 * 1024;

/// What the person asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check and report only.
    pub dry_run: bool,
    /// Write the valid rows even when others are wrong.
    pub skip_invalid: bool,
    /// Invite the users created.
    pub send_invitations: bool,
    /// The file's name, for the audit log.
    pub file_name: String,
    /// The language of the report (default: the importer's).
    pub language: Option<Language>,
    /// The administrator's choice of roles for the file's role names (WordPress's).
    pub role_map: RoleMap,
}

/// One problem, where the spreadsheet shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowError {
    /// As the spreadsheet numbers it (the header is row 1); 0 for the file as a whole.
    pub row: usize,
    /// The column's header as written in the file ("" for the whole row or file).
    pub column: String,
    /// Stable code (`email.invalid`, `role.unknown`, `import.duplicate`, …).
    pub code: String,
    /// In the importer's language.
    pub message: String,
}

/// What happens to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Invalid,
}

/// One row of the preview.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Planned {
    pub row: usize,
    pub action: Action,
    /// The login the user has or will have (suggested from the names when the cell is empty).
    pub login: String,
    pub email: Option<String>,
}

/// The answer to an import: counts, every error, and what each row does.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: usize,
    pub errors: Vec<RowError>,
    /// Whether anything was written (false for a dry run, or when a row was wrong and
    /// `skip_invalid` was not asked).
    pub applied: bool,
    /// What each row does, in order: the first [`PREVIEW_ROWS`].
    pub rows: Vec<Planned>,
    /// More rows than listed.
    #[serde(default)]
    pub rows_truncated: bool,
    /// People who come with a password hash brought over from WordPress (created active, or
    /// invited ones made active), counted among `created` and `updated`.
    #[serde(default)]
    pub password_hashes: usize,
    /// How the file's role names became the organisation's roles, when it is a WordPress
    /// export or a mapping was given: each name, the role it gives (or none), and whether
    /// Sésame proposed it. Kept with the import.
    #[serde(default)]
    pub role_map: Vec<RoleMapping>,
}

/// The faulty rows as read, for the error file: the input's headers and cells, plus the
/// messages of each row.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Faulty {
    pub headers: Vec<String>,
    pub rows: Vec<(Vec<String>, String)>,
}

pub struct Outcome {
    pub summary: Summary,
    pub faulty: Faulty,
    /// The file's format, once opened.
    pub format: Option<sesame_sheet::Format>,
}

impl Outcome {
    /// Everything asked was done: no error, and written unless a dry run was asked.
    pub fn complete(&self, dry_run: bool) -> bool {
        self.summary.errors.is_empty() && (dry_run || self.summary.applied)
    }
}

/// What the importer can refer to: the organisation's roles and groups, and its users.
struct Catalogue {
    /// Shared by every row that names them, never copied.
    roles: Vec<Arc<RoleRow>>,
    groups: Vec<Arc<GroupRow>>,
    users: HashMap<String, UserRow>,
    /// Ids by e-mail and by login.
    by_email: HashMap<String, String>,
    by_login: HashMap<String, String>,
}

impl Catalogue {
    /// The name of the role `id`, else the id.
    fn role_name(&self, id: &str) -> String {
        self.roles
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn group_name(&self, id: &str) -> String {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone())
    }

    /// The role of this name or preset key, case, accents, spaces and punctuation ignored
    /// (`referent_producteur` is « Référent producteur »).
    fn role(&self, name: &str) -> Option<&Arc<RoleRow>> {
        let folded = sesame_core::fold(name);
        let key = sesame_core::error::trim_all(name);
        let loose = columns::key(name);
        self.roles
            .iter()
            .find(|r| sesame_core::fold(&r.name) == folded || r.preset_key.as_deref() == Some(key))
            .or_else(|| {
                self.roles.iter().find(|r| {
                    !loose.is_empty()
                        && (columns::key(&r.name) == loose
                            || r.preset_key.as_deref().map(columns::key) == Some(loose.clone()))
                })
            })
    }

    fn group(&self, name: &str) -> Option<&Arc<GroupRow>> {
        let folded = sesame_core::fold(name);
        self.groups
            .iter()
            .find(|g| sesame_core::fold(&g.name) == folded)
    }

    fn role_names(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn group_names(&self) -> String {
        let mut names: Vec<&str> = self
            .groups
            .iter()
            .take(30)
            .map(|g| g.name.as_str())
            .collect();
        if self.groups.len() > 30 {
            names.push("…");
        }
        if names.is_empty() {
            "—".into()
        } else {
            names.join(", ")
        }
    }
}

/// A valid row, ready to write.
struct Ready {
    row_number: usize,
    user: UserRow,
    /// For an update: the user as stored.
    before: Option<UserRow>,
    /// The roles to hold (`None`: unchanged).
    roles: Option<Vec<Held>>,
    /// The groups to be a member of (`None`: unchanged).
    groups: Option<Vec<Arc<GroupRow>>>,
    /// An active person's new address, to confirm by link.
    pending_email: Option<String>,
    /// A password hash brought over from WordPress, for someone created or still invited:
    /// they become active with it.
    password: Option<LegacyHash>,
    /// The row as read, for the error file should the policy refuse it.
    cells: Vec<String>,
}

/// Reads, checks and (unless a dry run) writes, in one reading of the file. An apply writes
/// each batch of checked rows in its transaction while the next batch is checked (the database
/// works while the rows are checked, on the other core), and commits at the end: should a row
/// be wrong and `skip_invalid` not asked, the transaction is rolled back at once and the rest
/// of the file only checked, so that nothing at all is written and every mistake is reported.
/// Memory stays bounded whatever the file's size: a batch at a time, and per row only what
/// finds repeats (its e-mail and login). `sheet` is the file as opened (a file that could not
/// be opened is reported); `progress` is told how many rows were read.
pub async fn import(
    app: &App,
    who: &Principal,
    sheet: std::result::Result<Sheet, ReadError>,
    opts: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Outcome> {
    import_recorded(app, who, sheet, opts, progress, None).await
}

/// As [`import`], recording what it changes under the import `id` (the history's row) for
/// its undo ([`history`], [`undo`]). Every import, whoever starts it, ends here: counted in
/// `/metrics` by how it ended ([`crate::metrics::ImportEnd`]).
pub async fn import_recorded(
    app: &App,
    who: &Principal,
    sheet: std::result::Result<Sheet, ReadError>,
    opts: &Options,
    progress: &(dyn Fn(usize) + Sync),
    id: Option<&str>,
) -> Result<Outcome> {
    use crate::metrics::ImportEnd;
    who.actor.may_import()?;
    let outcome = check_and_write(app, who, sheet, opts, progress, id).await;
    let end = match &outcome {
        Err(_) => ImportEnd::Failed,
        Ok(o) if o.summary.applied => ImportEnd::Applied,
        Ok(o) if opts.dry_run && o.summary.errors.is_empty() => ImportEnd::DryRun,
        Ok(_) => ImportEnd::Refused,
    };
    let summary = outcome.as_ref().ok().map(|o| &o.summary);
    app.metrics.import(end, summary);
    outcome
}

/// [`import_recorded`], once allowed.
async fn check_and_write(
    app: &App,
    who: &Principal,
    sheet: std::result::Result<Sheet, ReadError>,
    opts: &Options,
    progress: &(dyn Fn(usize) + Sync),
    id: Option<&str>,
) -> Result<Outcome> {
    let lang = opts.language.unwrap_or_else(|| who.language());
    let sheet = match sheet {
        Ok(s) => s,
        Err(e) => return Ok(unreadable(&e, lang)),
    };
    let format = Some(sheet.format);
    let catalogue = load(app, &who.org).await?;
    let mut report = Report::new(lang);
    for (source, role) in opts.role_map.targets() {
        if catalogue.role(role).is_none() {
            report.file_error(
                "import.role_map_unknown",
                &[
                    ("source", source.to_string()),
                    ("value", role.to_string()),
                    ("expected", catalogue.role_names()),
                ],
            );
        }
    }
    if !report.summary.errors.is_empty() {
        return Ok(report.finish(false, format));
    }
    let Some(mut pass) = Pass::begin(&who.org, &catalogue, sheet, &opts.role_map, &mut report)
    else {
        return Ok(report.finish(false, format));
    };
    // Password hashes come in only with their own right (administrators): a file that has
    // them is refused whole otherwise, naming the column.
    let hashes = match pass.map.get(&Column::PasswordHash) {
        None => None,
        Some(&i) => match who.actor.may_import_password_hashes() {
            Ok(proof) => Some(proof),
            Err(d) => {
                let column = pass.header.cells.get(i).cloned().unwrap_or_default();
                report.header_error(
                    pass.header.number,
                    &column,
                    d.code(),
                    &[("permission", d.permissions())],
                );
                return Ok(report.finish(false, format));
            }
        },
    };
    let mut writer = match opts.dry_run {
        true => None,
        false => Some(Writer::begin(app, who, opts, hashes).await?),
    };
    // What each matched user holds is read on a connection of its own, outside the write:
    // every user comes once in a file (a repeat is refused), so the write never changes what
    // a later batch reads.
    let mut conn = app.store.read().await?;
    if let Some(w) = writer.as_mut() {
        w.buf.changes.import_id = id.map(String::from);
    }
    let mut checked: Option<Vec<Write>> = None;
    loop {
        if app.imports.stopping() {
            // The server is stopping: nothing of this import is kept (see `jobs::Running`).
            if let Some(w) = writer.take() {
                w.abandon().await?;
            }
            return Err(Error::Interrupted);
        }
        let next = match (writer.as_mut(), checked.take()) {
            (Some(w), Some(batch)) => {
                let (next, wrote) = tokio::join!(
                    pass.next(&mut conn, who, &mut report, opts, progress),
                    w.write(&batch)
                );
                wrote?;
                next?
            }
            _ => {
                pass.next(&mut conn, who, &mut report, opts, progress)
                    .await?
            }
        };
        if report.summary.invalid > 0
            && !opts.skip_invalid
            && let Some(w) = writer.take()
        {
            // Nothing will be written: the write lock goes now, the checking goes on.
            w.abandon().await?;
        }
        match next {
            Some(batch) => checked = Some(batch),
            None => break,
        }
    }
    drop(conn);
    let complete = !pass.broken && pass.count > 0;
    if pass.count == 0 && !pass.broken {
        report.file_error("import.no_rows", &[]);
    }
    drop(pass);
    match writer {
        Some(mut w) if complete => {
            if let Some(batch) = checked {
                w.write(&batch).await?;
            }
            w.finish(&report, opts).await?;
            Ok(report.finish(true, format))
        }
        Some(w) => {
            w.abandon().await?;
            Ok(report.finish(false, format))
        }
        None => Ok(report.finish(false, format)),
    }
}

/// One reading of the file: the header, then the rows checked one by one and planned 500 at
/// a time (the policy needs what each matched user holds, read per batch).
struct Pass<'a> {
    org: &'a Org,
    catalogue: &'a Catalogue,
    /// The administrator's mapping of the file's role names.
    role_map: &'a RoleMap,
    /// The file is a WordPress export (`user_login`, `user_email`… headers): its role names
    /// that match none of the organisation's give no role, and it gives roles only to the
    /// people it creates.
    wordpress: bool,
    rows: Sheet,
    header: Row,
    map: HashMap<Column, usize>,
    seen_email: HashMap<String, usize>,
    seen_login: HashMap<String, usize>,
    planned_logins: HashSet<String>,
    next_suffix: HashMap<String, u32>,
    /// Rows read after the header.
    count: usize,
    /// The file could not be read to its end (reported).
    broken: bool,
}

impl<'a> Pass<'a> {
    /// Reads the header; `None` (reported) when the file cannot be imported at all.
    fn begin(
        org: &'a Org,
        catalogue: &'a Catalogue,
        mut rows: Sheet,
        role_map: &'a RoleMap,
        report: &mut Report,
    ) -> Option<Pass<'a>> {
        let header = match rows.next() {
            None => {
                report.file_error("sheet.empty", &[]);
                return None;
            }
            Some(Err(e)) => {
                report.read_error(&e);
                return None;
            }
            Some(Ok(h)) => h,
        };
        report.faulty.headers.clone_from(&header.cells);
        let map = header_map(org, &header, report)?;
        let wordpress = header.cells.iter().any(|h| {
            ["userlogin", "useremail", "userpass", "displayname"]
                .contains(&columns::key(h).as_str())
        });
        Some(Pass {
            org,
            catalogue,
            role_map,
            wordpress,
            rows,
            header,
            map,
            seen_email: HashMap::new(),
            seen_login: HashMap::new(),
            planned_logins: HashSet::new(),
            next_suffix: HashMap::new(),
            count: 0,
            broken: false,
        })
    }

    /// The next rows to write (up to 500 checked ones, planned); `None` at the end of the file
    /// or when it cannot be read further.
    async fn next(
        &mut self,
        conn: &mut sesame_store::Conn,
        who: &Principal,
        report: &mut Report,
        opts: &Options,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Option<Vec<Write>>> {
        let mut ready: Vec<Box<Ready>> = Vec::new();
        while ready.len() < sesame_store::bulk::BATCH_ROWS {
            let row = match self.rows.next() {
                None => break,
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    report.read_error(&e);
                    self.broken = true;
                    return Ok(None);
                }
            };
            self.count += 1;
            if self.count.is_multiple_of(1000) {
                progress(self.count);
            }
            if let Some(r) = self.check(row, report) {
                ready.push(r);
            }
        }
        if ready.is_empty() {
            progress(self.count);
            return Ok(None);
        }
        // The policy, with what each matched user holds now.
        let ids: Vec<String> = ready
            .iter()
            .filter_map(|r| r.before.as_ref().map(|b| b.id.clone()))
            .collect();
        let mut held: HashMap<String, Vec<sesame_store::roles::HeldRole>> = HashMap::new();
        let mut member_of: HashMap<String, Vec<GroupRow>> = HashMap::new();
        for h in sesame_store::roles::held_by(conn, self.org.id(), &ids).await? {
            held.entry(h.user_id.clone()).or_default().push(h);
        }
        for (uid, g) in sesame_store::groups::of_users(conn, self.org.id(), &ids).await? {
            member_of.entry(uid).or_default().push(g);
        }
        let mut writes = Vec::with_capacity(ready.len());
        for r in ready {
            match plan_row(
                who,
                self.catalogue,
                r,
                &held,
                &member_of,
                opts.send_invitations,
            ) {
                Ok(mut w) => {
                    report.planned(&w);
                    // The row as read was kept for the error file; it will not go there now.
                    w.ready.cells = Vec::new();
                    writes.push(w);
                }
                Err((number, login, cells, errs)) => {
                    report.invalid_planned(number, login, cells, errs);
                }
            }
        }
        Ok(Some(writes))
    }

    /// Checks one row on its own and against the rows before it; `None` when it is wrong
    /// (reported).
    fn check(&mut self, mut row: Row, report: &mut Report) -> Option<Box<Ready>> {
        let (org, catalogue, map) = (self.org, self.catalogue, &self.map);
        let mut errors: Vec<(Option<Column>, FieldError)> = Vec::new();
        // The hash leaves the row at once: it goes neither to the error file nor anywhere else.
        let hash = map
            .get(&Column::PasswordHash)
            .and_then(|&i| row.cells.get_mut(i))
            .map(std::mem::take)
            .filter(|v| !sesame_core::error::trim_all(v).is_empty());
        let password = hash.and_then(|h| match LegacyHash::parse(&h) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push((Some(Column::PasswordHash), e.on("password_hash")));
                None
            }
        });
        let cell = |c: Column| -> Option<&str> {
            map.get(&c)
                .and_then(|&i| row.cells.get(i))
                .map(String::as_str)
                .filter(|v| !v.is_empty())
        };
        let patch = |c: Column| cell(c).into();
        let known = cell(Column::Email)
            .and_then(|v| sesame_core::Email::parse(v).ok())
            .is_some_and(|e| catalogue.by_email.contains_key(e.as_str()))
            || cell(Column::Login)
                .and_then(|v| sesame_core::Login::parse(v).ok())
                .is_some_and(|l| catalogue.by_login.contains_key(l.as_str()));
        let shown = match (known, cell(Column::FirstName), cell(Column::LastName)) {
            (false, None, None) => cell(Column::DisplayName)
                .and_then(|d| names_from_display(d, cell(Column::Login), cell(Column::Email))),
            _ => None,
        };
        let (first_name, last_name) = match &shown {
            Some((f, l)) => (Some(f.as_str()).into(), l.as_deref().into()),
            None => (patch(Column::FirstName), patch(Column::LastName)),
        };
        let raw = RawFields {
            login: patch(Column::Login),
            email: patch(Column::Email),
            first_name,
            last_name,
            phone: patch(Column::Phone),
            language: patch(Column::Language),
            address_line: patch(Column::AddressLine),
            postal_code: patch(Column::PostalCode),
            city: patch(Column::City),
        };
        let fields = match check_fields(org, &raw) {
            Ok(f) => Some(f),
            Err(es) => {
                errors.extend(es.into_iter().map(|e| (column_of(e.field.as_str()), e)));
                None
            }
        };
        let lookup = RoleLookup {
            map: self.role_map,
            wordpress: self.wordpress,
        };
        let roles = cell(Column::Roles)
            .map(|v| resolve_roles(catalogue, &lookup, v, &mut errors, &mut report.roles));
        let groups = cell(Column::Groups).map(|v| resolve_groups(catalogue, v, &mut errors));

        // Which user: by e-mail, else by login (read on their own, so that a row with another
        // mistake is still seen as a repeat).
        let email = cell(Column::Email)
            .and_then(|v| sesame_core::Email::parse(v).ok())
            .map(|e| e.as_str().to_string());
        let login = cell(Column::Login)
            .and_then(|v| sesame_core::Login::parse(v).ok())
            .map(|l| l.as_str().to_string());
        if let Some(e) = &email {
            if let Some(first) = self.seen_email.get(e) {
                errors.push((
                    Some(Column::Email),
                    FieldError::new("email", "import.duplicate")
                        .with("value", e)
                        .with("row", first.to_string()),
                ));
            } else {
                self.seen_email.insert(e.clone(), row.number);
            }
        }
        if let Some(l) = &login {
            if let Some(first) = self.seen_login.get(l) {
                errors.push((
                    Some(Column::Login),
                    FieldError::new("login", "import.duplicate")
                        .with("value", l)
                        .with("row", first.to_string()),
                ));
            } else {
                self.seen_login.insert(l.clone(), row.number);
            }
        }
        let existing = email
            .as_ref()
            .and_then(|e| catalogue.by_email.get(e))
            .or_else(|| login.as_ref().and_then(|l| catalogue.by_login.get(l)))
            .and_then(|id| catalogue.users.get(id))
            .cloned();
        // Found by login with another person's address.
        if let (Some(u), Some(e)) = (&existing, &email)
            && catalogue.by_email.get(e).is_some_and(|id| id != &u.id)
        {
            errors.push((
                Some(Column::Email),
                FieldError::new("email", "email.taken").with("value", e),
            ));
        }

        let Some(fields) = fields.filter(|_| errors.is_empty()) else {
            // Every mistake of the row at once: a new person's empty required cells too.
            if existing.is_none() {
                let refused: Vec<String> = errors.iter().map(|(_, e)| e.field.clone()).collect();
                errors.extend(
                    missing_required(org, |f| raw.filled(f))
                        .into_iter()
                        .filter(|e| !refused.contains(&e.field))
                        .map(|e| (column_of(e.field.as_str()), e)),
                );
            }
            report.invalid(&row, errors, map, &self.header);
            return None;
        };
        let mut user = existing.clone().unwrap_or_else(|| new_row(org));
        crate::users::apply_fields(&mut user, &fields);
        // A hash makes a new or still invited person active; someone who has signed in to
        // Sésame keeps the password they have.
        let password = match &existing {
            Some(b) if b.status != Status::Invited => None,
            _ => password,
        };
        if password.is_some() {
            user.status = Status::Active;
        }
        let taken = |l: &str| catalogue.by_login.contains_key(l) || self.planned_logins.contains(l);
        match &existing {
            None => {
                errors.extend(
                    missing_required(org, |f| crate::users::present(&user, f))
                        .into_iter()
                        .map(|e| (column_of(e.field.as_str()), e)),
                );
                if user.login.is_empty() {
                    // Namesakes: the next number for this name is remembered, not searched again.
                    let (first, last) = names_for_login(&user);
                    let base = login_base(&first, &last);
                    let start = self.next_suffix.get(&base).copied().unwrap_or(1);
                    let (login, n) = suggest_login_from(&base, start, taken);
                    self.next_suffix.insert(base, n + 1);
                    user.login = login.as_str().to_string();
                } else if taken(&user.login) {
                    errors.push((
                        Some(Column::Login),
                        FieldError::new("login", "login.taken").with("value", &user.login),
                    ));
                }
            }
            Some(before) => {
                if user.login != before.login && taken(&user.login) {
                    errors.push((
                        Some(Column::Login),
                        FieldError::new("login", "login.taken").with("value", &user.login),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            report.invalid(&row, errors, map, &self.header);
            return None;
        }
        self.planned_logins.insert(user.login.clone());
        let pending_email = match (&existing, &user.email) {
            (Some(b), Some(new)) if b.email.as_ref() != Some(new) && b.status == Status::Active => {
                let new = new.clone();
                user.email.clone_from(&b.email);
                Some(new)
            }
            _ => None,
        };
        // A WordPress export gives roles to the people it creates; those already here keep theirs.
        let roles = match (&existing, self.wordpress) {
            (Some(_), true) => None,
            _ => roles.flatten(),
        };
        Some(Box::new(Ready {
            row_number: row.number,
            user,
            before: existing,
            roles,
            groups: groups.flatten(),
            pending_email,
            password,
            cells: row.cells,
        }))
    }
}
/// Errors found in a row, each with its column when it has one.
type RowErrors = Vec<(Option<Column>, FieldError)>;

/// A row the policy refused: its number, its login, why.
type Refused = (usize, String, Vec<String>, RowErrors);

/// A row checked against the policy, with its changes and their proofs.
struct Write {
    ready: Box<Ready>,
    action: Action,
    plan: Plan,
    /// The names of the roles granted and taken back, for the audit log.
    roles_added: Vec<String>,
    roles_removed: Vec<String>,
}

/// The row's change, planned by the same planner as `POST /api/v1/users` and its `PATCH`
/// ([`sesame_core::policy::plan`]): the import adds only its batching.
fn plan_row(
    who: &Principal,
    catalogue: &Catalogue,
    ready: Box<Ready>,
    held: &HashMap<String, Vec<sesame_store::roles::HeldRole>>,
    member_of: &HashMap<String, Vec<GroupRow>>,
    invite: bool,
) -> std::result::Result<Write, Refused> {
    let (current_grants, current_groups): (Vec<Grant>, Vec<String>) = match &ready.before {
        None => (Vec::new(), Vec::new()),
        Some(b) => (
            held.get(&b.id).map(|h| grants_of(h)).unwrap_or_default(),
            member_of
                .get(&b.id)
                .map(|gs| gs.iter().map(|g| g.id.clone()).collect())
                .unwrap_or_default(),
        ),
    };
    let before = ready.before.as_ref().map(|b| Before {
        status: b.status,
        groups: &current_groups,
        grants: &current_grants,
    });
    let wanted = Wanted {
        roles: ready
            .roles
            .as_ref()
            .map(|hs| hs.iter().map(crate::users::change::wanted).collect()),
        groups: ready
            .groups
            .as_ref()
            .map(|gs| gs.iter().map(|g| g.id.clone()).collect()),
        // Someone who comes with their password needs no invitation.
        invite: invite && ready.before.is_none() && ready.password.is_none(),
    };
    let plan = match plan(&who.actor, &ready.user.id, before, &wanted) {
        Ok(p) => p,
        Err(r) => {
            let (column, e) = match r {
                Refusal::Denied(d) => (
                    None,
                    FieldError::new("", d.code()).with("permission", d.permissions()),
                ),
                Refusal::Role {
                    role_id,
                    scope,
                    denied,
                } => (
                    Some(Column::Roles),
                    crate::users::change::role_denied(
                        "roles",
                        &catalogue.role_name(&role_id),
                        scope.group_id().map(|g| catalogue.group_name(g)),
                        &denied,
                    ),
                ),
                Refusal::Requires {
                    role_id, required, ..
                } => (
                    Some(Column::Roles),
                    FieldError::new("roles", "role.requires")
                        .with("role", catalogue.role_name(&role_id))
                        .with("required", catalogue.role_name(&required)),
                ),
            };
            return Err((
                ready.row_number,
                ready.user.login.clone(),
                ready.cells.clone(),
                vec![(column, e)],
            ));
        }
    };
    let action = match &ready.before {
        None => Action::Create,
        Some(b) if *b == ready.user && !plan.changes_access() && ready.pending_email.is_none() => {
            Action::Unchanged
        }
        Some(_) => Action::Update,
    };
    let names = |ps: &[Allowed<ChangeRole>]| -> Vec<String> {
        ps.iter().map(|p| catalogue.role_name(&p.role_id)).collect()
    };
    Ok(Write {
        roles_added: names(&plan.grant),
        roles_removed: names(&plan.revoke),
        ready,
        action,
        plan,
    })
}

/// The import's transaction: rows written 500 at a time, with their memberships, roles, audit
/// rows and e-mails, committed at the end or not at all.
struct Writer<'a> {
    who: &'a Principal,
    backend: sesame_store::Backend,
    now: i64,
    work: Work,
    buf: Pending,
    /// Invite the users created.
    invitations: bool,
    /// Who was required to use two-factor before: those the import newly requires get their
    /// grace period at the end.
    grace: Option<crate::grace::RequiredBefore>,
    /// The right to write the password hashes the file brings (`None`: it brings none).
    hashes: Option<Allowed<ImportPasswordHashes>>,
}

impl<'a> Writer<'a> {
    async fn begin(
        app: &'a App,
        who: &'a Principal,
        opts: &Options,
        hashes: Option<Allowed<ImportPasswordHashes>>,
    ) -> Result<Writer<'a>> {
        let now = now_ms();
        let mut work = Work::begin_bulk(app).await?;
        let grace = Some(crate::grace::required_before(&mut work, &who.org).await?);
        Ok(Writer {
            who,
            backend: app.store.backend(),
            now,
            grace,
            work,
            buf: Pending {
                at: now,
                ..Pending::default()
            },
            invitations: opts.send_invitations,
            hashes,
        })
    }

    /// Writes planned rows (at most a few hundred: what they cause is buffered).
    async fn write(&mut self, writes: &[Write]) -> Result<()> {
        let (who, now, backend) = (self.who, self.now, self.backend);
        let org = &who.org;
        for w in writes {
            if self.buf.created.len() >= sesame_store::bulk::BATCH_ROWS
                || self.buf.audits.len() >= sesame_store::bulk::BATCH_ROWS
            {
                self.buf.flush(&mut self.work, backend).await?;
            }
            let tx = &mut self.work;
            let u = &w.ready.user;
            let password = w.ready.password.as_ref().filter(|_| self.hashes.is_some());
            match w.action {
                Action::Unchanged | Action::Invalid => continue,
                Action::Create => {
                    let proof = w.plan.create.clone().ok_or(Error::NotFound("user"))?;
                    let hash = password.map(|p| p.expose().to_string());
                    self.buf.created.push((proof, u.clone(), hash));
                }
                Action::Update => {
                    let edit = w.plan.edit.as_ref().ok_or(Error::NotFound("user"))?;
                    let mut row = u.clone();
                    row.updated_at = now;
                    if w.ready.before.as_ref() != Some(u) {
                        // Words of people created earlier in the import may still wait.
                        sesame_store::users::write_words_now(tx, backend, &mut self.buf.later)
                            .await?;
                        sesame_store::users::update(tx, edit, &row).await?;
                    }
                    if let Some(p) = password {
                        sesame_store::users::set_password_hash(tx, edit, Some(p.expose()), now)
                            .await?;
                    }
                    crate::users::change::take_back(tx, org, &u.id, &w.plan).await?;
                }
            }
            self.buf.changes.note(u, w.ready.before.as_ref(), &w.plan);
            self.buf.memberships.extend(w.plan.join.iter().cloned());
            self.buf.assignments.extend(w.plan.grant.iter().cloned());
            let (action, before) = match w.action {
                Action::Create => ("user.create", None),
                _ => (
                    "user.update",
                    w.ready.before.as_ref().map(|b| serde_json::json!({
                        "login": b.login, "email": b.email, "first_name": b.first_name,
                        "last_name": b.last_name, "phone": b.phone, "language": b.language,
                        "address_line": b.address_line, "postal_code": b.postal_code, "city": b.city,
                    })),
                ),
            };
            let mut after = serde_json::json!({
                "login": u.login, "email": u.email, "first_name": u.first_name,
                "last_name": u.last_name, "phone": u.phone, "language": u.language,
                "address_line": u.address_line, "postal_code": u.postal_code, "city": u.city,
                "roles_added": w.roles_added,
                "roles_removed": w.roles_removed,
                "import_row": w.ready.row_number,
            });
            if let Some(p) = password {
                // Which kind of hash came, never the hash.
                after["password_hash_imported"] = p.kind().code().into();
            }
            self.buf.audits.push(sesame_store::audit::AuditRow {
                id: new_id(),
                org_id: org.id().to_string(),
                at: now,
                actor_id: who.user_id().map(String::from),
                actor_label: who.label(),
                action: action.into(),
                target_type: "user".into(),
                target_id: Some(u.id.clone()),
                target_label: Some(u.login.clone()),
                before_json: before.map(|v| v.to_string()),
                after_json: Some(after.to_string()),
                source: who.source.clone(),
            });
        }
        // The users first: the e-mails refer to them.
        self.buf.flush(&mut self.work, backend).await?;

        // Invitations for the new users; confirmations for the new addresses of active people.
        let mut letters: Vec<Letter> = Vec::new();
        if self.invitations {
            letters.extend(
                writes
                    .iter()
                    .filter(|w| w.action == Action::Create && w.ready.password.is_none())
                    .map(|w| Letter::new(Kind::Invitation, &w.ready.user).by(who.person())),
            );
        }
        for w in writes {
            if let (Action::Update, Some(new)) = (w.action, &w.ready.pending_email) {
                let mut confirm = Letter::new(Kind::EmailChange, &w.ready.user).by(who.person());
                confirm.to = Some(new);
                confirm.new_email = Some(new);
                letters.push(confirm);
                let mut notice = Letter::new(Kind::EmailChanged, &w.ready.user).by(who.person());
                notice.new_email = Some(new);
                letters.push(notice);
            }
        }
        if !letters.is_empty() {
            self.work.queue_all(backend, org, &letters).await?;
        }
        Ok(())
    }

    /// Writes nothing after all: the transaction is rolled back.
    async fn abandon(self) -> Result<()> {
        self.work.rollback().await
    }

    /// Tells those who asked to hear of imports, records the import, commits.
    async fn finish(mut self, report: &Report, opts: &Options) -> Result<()> {
        let who = self.who;
        let org = &who.org;
        self.buf.flush(&mut self.work, self.backend).await?;
        sesame_store::users::write_later(&mut self.work, self.backend, &mut self.buf.later).await?;
        if let Some(before) = self.grace.take() {
            crate::grace::start_for_newly_required(&mut self.work, org, before, self.now).await?;
        }
        let s = &report.summary;
        let counts = crate::mail::ImportCounts {
            file: opts.file_name.clone(),
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
            invalid: s.invalid,
        };
        let listeners =
            crate::notifications::recipients_in(&mut self.work, org, "import_finished", &[])
                .await?;
        let letters: Vec<Letter> = listeners
            .iter()
            .map(|r| {
                let mut l = Letter::new(Kind::ImportFinished, r);
                l.actor = who.person();
                l.import = Some(counts.clone());
                l
            })
            .collect();
        if !letters.is_empty() {
            self.work.queue_all(self.backend, org, &letters).await?;
        }
        self.work
            .record(
                who,
                Change {
                    action: "users.import",
                    target_type: "organisation",
                    target_id: Some(org.id()),
                    target_label: Some(&opts.file_name),
                    before: None,
                    after: Some(serde_json::json!({
                        "file": opts.file_name,
                        "created": s.created,
                        "updated": s.updated,
                        "unchanged": s.unchanged,
                        "invalid": s.invalid,
                        "invitations": opts.send_invitations,
                        "password_hashes": s.password_hashes,
                        "role_map": report.roles.values().collect::<Vec<_>>(),
                    })),
                },
            )
            .await?;
        self.work.commit().await
    }
}

/// Rows waiting to be written, in multi-row statements.
#[derive(Default)]
struct Pending {
    created: Vec<sesame_store::users::Created>,
    memberships: Vec<Allowed<ChangeMembership>>,
    assignments: Vec<Allowed<ChangeRole>>,
    audits: Vec<sesame_store::audit::AuditRow>,
    /// The users created: their counts by status (written to `user_counts` just before the
    /// commit), and part of their search words.
    later: sesame_store::users::Later,
    /// When the import writes.
    at: i64,
    /// What it changes, for its undo.
    changes: history::Recorder,
}

impl Pending {
    /// Writes what is waiting: the users first, for what refers to them.
    async fn flush(
        &mut self,
        tx: &mut sesame_store::Conn,
        backend: sesame_store::Backend,
    ) -> Result<()> {
        sesame_store::users::insert_many_later(tx, backend, &self.created, &mut self.later).await?;
        sesame_store::groups::add_members(tx, backend, &self.memberships, self.at).await?;
        sesame_store::roles::assign_many(tx, backend, &self.assignments, self.at).await?;
        sesame_store::audit::insert_many(tx, backend, &self.audits).await?;
        self.changes.flush(tx, backend).await?;
        self.created.clear();
        self.memberships.clear();
        self.assignments.clear();
        self.audits.clear();
        Ok(())
    }
}

/// The organisation's roles, groups and users, read once.
async fn load(app: &App, org: &Org) -> Result<Catalogue> {
    let mut conn = app.store.read().await?;
    let roles = sesame_store::roles::list(&mut conn, org.id())
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let groups = sesame_store::groups::list(&mut conn, org.id())
        .await?
        .into_iter()
        .map(|(g, _)| Arc::new(g))
        .collect();
    let all = sesame_store::users::all(&mut conn, org.id()).await?;
    let mut users = HashMap::with_capacity(all.len());
    let mut by_email = HashMap::with_capacity(all.len());
    let mut by_login = HashMap::with_capacity(all.len());
    for u in all {
        by_login.insert(u.login.clone(), u.id.clone());
        if let Some(e) = &u.email {
            by_email.insert(e.clone(), u.id.clone());
        }
        users.insert(u.id.clone(), u);
    }
    Ok(Catalogue {
        roles,
        groups,
        users,
        by_email,
        by_login,
    })
}

fn new_row(org: &Org) -> UserRow {
    let now = now_ms();
    UserRow {
        id: new_id(),
        org_id: org.id().to_string(),
        login: String::new(),
        email: None,
        first_name: None,
        last_name: None,
        phone: None,
        language: org.language.code().to_string(),
        address_line: None,
        postal_code: None,
        city: None,
        status: Status::Invited,
        created_at: now,
        updated_at: now,
    }
}

/// The names a WordPress `display_name` gives when the first and last names are empty: the
/// first word is the first name, the rest the last name (« Jean de La Fontaine » → Jean, de La
/// Fontaine; French compound first names are hyphenated). Nothing when it is only the login
/// or the e-mail address, which WordPress puts there by default.
fn names_from_display(
    display: &str,
    login: Option<&str>,
    email: Option<&str>,
) -> Option<(String, Option<String>)> {
    let d = sesame_core::error::trim_all(display);
    let same = |other: Option<&str>| {
        other.is_some_and(|o| {
            sesame_core::fold(sesame_core::error::trim_all(o)) == sesame_core::fold(d)
        })
    };
    if d.is_empty() || d.contains('@') || same(login) || same(email) {
        return None;
    }
    match d.split_once(char::is_whitespace) {
        Some((first, rest)) => Some((first.to_string(), Some(rest.trim().to_string()))),
        None => Some((d.to_string(), None)),
    }
}

/// How a row's role names are looked up ([`role_map`]).
struct RoleLookup<'a> {
    map: &'a RoleMap,
    wordpress: bool,
}

/// Role names noted in the mapping used, at most: beyond, they are still mapped, not listed.
const MAPPING_NAMES: usize = 200;

/// `Amapien, Référent producteur@Ferme du Bec`: roles separated by commas (or semicolons, or
/// `|`), each held organisation-wide or, after `@`, within a group. Each name goes through
/// the mapping ([`role_map`]); what it gave is noted in `used` (by the name's key).
fn resolve_roles(
    catalogue: &Catalogue,
    lookup: &RoleLookup<'_>,
    cell: &str,
    errors: &mut Vec<(Option<Column>, FieldError)>,
    used: &mut std::collections::BTreeMap<String, RoleMapping>,
) -> Option<Vec<Held>> {
    let mut note = |source: &str, role: Option<&RoleRow>, proposed: bool| {
        let k = columns::key(source);
        if used.len() < MAPPING_NAMES || used.contains_key(&k) {
            used.entry(k).or_insert_with(|| RoleMapping {
                source: source.to_string(),
                role: role.map(|r| r.name.clone()),
                proposed,
            });
        }
    };
    let mut out: Vec<Held> = Vec::new();
    let mut ok = true;
    // WordPress joins a person's roles with commas (`wp user list`) or `|` (other exports).
    for part in cell
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (role_name, group_name) = match part.split_once('@') {
            Some((r, g)) => (r.trim(), Some(g.trim())),
            None => (part, None),
        };
        let noted = lookup.wordpress || !lookup.map.is_empty();
        let found = match lookup.map.get(role_name) {
            Some(None) => {
                note(role_name, None, false);
                continue;
            }
            Some(Some(target)) => {
                let r = catalogue.role(target);
                note(role_name, r.map(|r| &**r), false);
                r
            }
            None => {
                let r = catalogue.role(role_name);
                if noted && (r.is_some() || lookup.wordpress) {
                    note(role_name, r.map(|r| &**r), true);
                }
                if r.is_none() && lookup.wordpress {
                    continue;
                }
                r
            }
        };
        let Some(role) = found else {
            ok = false;
            errors.push((
                Some(Column::Roles),
                FieldError::new("roles", "role.unknown")
                    .with("value", role_name)
                    .with("expected", catalogue.role_names()),
            ));
            continue;
        };
        let group = match group_name {
            None => None,
            Some(g) => match catalogue.group(g) {
                Some(g) => Some(g.clone()),
                None => {
                    ok = false;
                    errors.push((
                        Some(Column::Roles),
                        FieldError::new("roles", "group.unknown")
                            .with("value", g)
                            .with("expected", catalogue.group_names()),
                    ));
                    continue;
                }
            },
        };
        let h = Held {
            role: role.clone(),
            group,
        };
        if !out.iter().any(|o| o.key() == h.key()) {
            out.push(h);
        }
    }
    ok.then_some(out)
}

fn resolve_groups(
    catalogue: &Catalogue,
    cell: &str,
    errors: &mut Vec<(Option<Column>, FieldError)>,
) -> Option<Vec<Arc<GroupRow>>> {
    let mut out: Vec<Arc<GroupRow>> = Vec::new();
    let mut ok = true;
    for name in cell
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match catalogue.group(name) {
            Some(g) if !out.iter().any(|o| o.id == g.id) => out.push(g.clone()),
            Some(_) => {}
            None => {
                ok = false;
                errors.push((
                    Some(Column::Groups),
                    FieldError::new("groups", "group.unknown")
                        .with("value", name)
                        .with("expected", catalogue.group_names()),
                ));
            }
        }
    }
    ok.then_some(out)
}

/// The column a field error is about.
fn column_of(field: &str) -> Option<Column> {
    Column::ALL
        .into_iter()
        .chain(Column::EXTRA)
        .find(|c| c.code() == field)
}

/// Maps the header's cells to columns; reports unknown, repeated and missing required ones.
fn header_map(org: &Org, header: &Row, report: &mut Report) -> Option<HashMap<Column, usize>> {
    let mut map = HashMap::new();
    let lang = report.lang;
    let expected = Column::ALL
        .iter()
        .map(|c| c.header(lang))
        .collect::<Vec<_>>()
        .join(", ");
    let mut ok = true;
    for (i, h) in header.cells.iter().enumerate() {
        if h.trim().is_empty() || columns::is_error_column(h) {
            continue;
        }
        match Column::recognise(h) {
            Some(c) if map.contains_key(&c) => {
                ok = false;
                report.header_error(
                    header.number,
                    h,
                    "import.column_twice",
                    &[("column", h.clone())],
                );
            }
            Some(c) => {
                map.insert(c, i);
            }
            None => {
                ok = false;
                report.header_error(
                    header.number,
                    h,
                    "import.column_unknown",
                    &[("column", h.clone()), ("expected", expected.clone())],
                );
            }
        }
    }
    for c in Column::ALL {
        if c.required(org) && !map.contains_key(&c) {
            ok = false;
            report.header_error(
                header.number,
                "",
                "import.column_missing",
                &[
                    ("column", c.header(lang).to_string()),
                    ("expected", expected.clone()),
                ],
            );
        }
    }
    ok.then_some(map)
}

/// The summary being made.
struct Report {
    lang: Language,
    summary: Summary,
    faulty: Faulty,
    /// The role names met and what they gave, by their key.
    roles: std::collections::BTreeMap<String, RoleMapping>,
}

impl Report {
    fn new(lang: Language) -> Self {
        Self {
            lang,
            summary: Summary {
                created: 0,
                updated: 0,
                unchanged: 0,
                invalid: 0,
                errors: Vec::new(),
                applied: false,
                rows: Vec::new(),
                rows_truncated: false,
                password_hashes: 0,
                role_map: Vec::new(),
            },
            faulty: Faulty::default(),
            roles: std::collections::BTreeMap::new(),
        }
    }

    fn push(&mut self, row: usize, column: &str, e: &FieldError) {
        self.summary.errors.push(RowError {
            row,
            column: column.to_string(),
            code: e.code.to_string(),
            message: field_error(self.lang, e),
        });
    }

    /// One row of the preview: only the first [`PREVIEW_ROWS`] are kept (rows come almost in
    /// order; those the policy refuses come a batch later).
    fn preview(&mut self, p: Planned) {
        if self.beyond_preview(p.row) {
            return;
        }
        let rows = &mut self.summary.rows;
        rows.push(p);
        if rows.len() >= 2 * PREVIEW_ROWS {
            rows.sort_by_key(|p| p.row);
            rows.truncate(PREVIEW_ROWS);
            self.summary.rows_truncated = true;
        }
    }

    /// Whether row `number` comes after a full preview.
    fn beyond_preview(&self, number: usize) -> bool {
        self.summary.rows_truncated
            && self.summary.rows.len() >= PREVIEW_ROWS
            && self.summary.rows[PREVIEW_ROWS - 1].row < number
    }

    fn file_error(&mut self, code: &'static str, args: &[(&'static str, String)]) {
        let mut e = FieldError::new("", code);
        for (k, v) in args {
            e = e.with(k, v.clone());
        }
        self.push(0, "", &e);
    }

    fn header_error(
        &mut self,
        row: usize,
        column: &str,
        code: &'static str,
        args: &[(&'static str, String)],
    ) {
        let mut e = FieldError::new("", code);
        for (k, v) in args {
            e = e.with(k, v.clone());
        }
        self.push(row, column, &e);
    }

    fn read_error(&mut self, e: &ReadError) {
        let mut fe = FieldError::new("", e.code());
        for (k, v) in e.args() {
            fe = fe.with(k, v);
        }
        self.push(0, "", &fe);
    }

    fn invalid(
        &mut self,
        row: &Row,
        errors: Vec<(Option<Column>, FieldError)>,
        map: &HashMap<Column, usize>,
        header: &Row,
    ) {
        self.summary.invalid += 1;
        let mut messages = Vec::new();
        for (c, e) in &errors {
            let column = c
                .and_then(|c| map.get(&c))
                .and_then(|&i| header.cells.get(i))
                .cloned()
                .unwrap_or_default();
            self.push(row.number, &column, e);
            messages.push(field_error(self.lang, e));
        }
        self.preview(Planned {
            row: row.number,
            action: Action::Invalid,
            login: row
                .cells
                .get(map.get(&Column::Login).copied().unwrap_or(usize::MAX))
                .cloned()
                .unwrap_or_default(),
            email: map
                .get(&Column::Email)
                .and_then(|&i| row.cells.get(i))
                .cloned(),
        });
        self.faulty
            .rows
            .push((row.cells.clone(), messages.join(" ; ")));
    }

    /// A row that passed the checks but not the policy: reported, and kept as read for the
    /// error file.
    fn invalid_planned(
        &mut self,
        number: usize,
        login: String,
        cells: Vec<String>,
        errors: Vec<(Option<Column>, FieldError)>,
    ) {
        self.summary.invalid += 1;
        let mut messages = Vec::new();
        for (_, e) in &errors {
            self.push(number, "", e);
            messages.push(field_error(self.lang, e));
        }
        self.preview(Planned {
            row: number,
            action: Action::Invalid,
            login,
            email: None,
        });
        self.faulty.rows.push((cells, messages.join(" ; ")));
    }

    fn planned(&mut self, w: &Write) {
        match w.action {
            Action::Create => self.summary.created += 1,
            Action::Update => self.summary.updated += 1,
            Action::Unchanged => self.summary.unchanged += 1,
            Action::Invalid => self.summary.invalid += 1,
        }
        if w.ready.password.is_some() && w.action != Action::Invalid {
            self.summary.password_hashes += 1;
        }
        if self.beyond_preview(w.ready.row_number) {
            return;
        }
        self.preview(Planned {
            row: w.ready.row_number,
            action: w.action,
            login: w.ready.user.login.clone(),
            email: w.ready.user.email.clone(),
        });
    }

    fn finish(mut self, applied: bool, format: Option<sesame_sheet::Format>) -> Outcome {
        self.summary.applied = applied;
        self.summary.role_map = self.roles.into_values().collect();
        self.summary.rows.sort_by_key(|p| p.row);
        if self.summary.rows.len() > PREVIEW_ROWS {
            self.summary.rows.truncate(PREVIEW_ROWS);
            self.summary.rows_truncated = true;
        }
        self.summary.errors.sort_by_key(|e| e.row);
        Outcome {
            summary: self.summary,
            faulty: self.faulty,
            format,
        }
    }
}

/// The report of a file that could not be opened at all.
pub fn unreadable(e: &ReadError, lang: Language) -> Outcome {
    let mut report = Report::new(lang);
    report.read_error(e);
    report.finish(false, None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uploads_are_limited_as_the_reader_is() {
        assert_eq!(
            u64::try_from(super::MAX_UPLOAD).ok(),
            Some(sesame_sheet::Limits::default().max_file_bytes)
        );
    }
}
