//! Every change to a user: parse → policy → one transaction with its audit row.

use super::change;
use super::check::{Fields, RawFields, check_each, missing_required};
use super::{
    Held, NewUser, RoleInGroup, UserChanges, UserView, find_role, load_target, names_for_login,
    unknown_group, unknown_role,
};
use crate::audit::{Change, record};
use crate::work::Work;
use crate::{App, Error, InPerson, Org, Principal, Result, permissions_of};
use secrecy::SecretString;
use sesame_core::Status;
use sesame_core::policy::plan::{Wanted, plan};
use sesame_core::policy::{Grant, Scope, is_administrator};
use sesame_core::{FieldError, UserField, suggest_login};
use sesame_store::groups::GroupRow;
use sesame_store::users::UserRow;
use sesame_store::{Conn, new_id, now_ms, users as store_users};
use std::collections::{BTreeSet, HashMap};

pub async fn create(
    app: &App,
    who: &Principal,
    new: NewUser,
    password: Option<SecretString>,
) -> Result<UserView> {
    let administrative =
        password.is_some() && administrative_roles(app, &who.org, &new.roles).await?;
    let (row, fields, errors) = prepare(who, &new, password.as_ref(), administrative);
    let hash = match (&password, errors.is_empty()) {
        (Some(p), true) => Some(app.hasher.hash(p.clone()).await?),
        _ => None,
    };
    let mut work = Work::begin(app).await?;
    let view = create_in(&mut work, who, new, row, fields, errors, hash).await?;
    work.commit().await?;
    Ok(view)
}

/// Checks the fields of a new user; the errors found so far come back with the row.
pub(crate) fn prepare(
    who: &Principal,
    new: &NewUser,
    password: Option<&SecretString>,
    administrative: bool,
) -> (UserRow, Fields, Vec<FieldError>) {
    let org = &who.org;
    let (fields, mut errors) = check_each(org, &new.fields());
    let mut row = UserRow {
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
        created_at: now_ms(),
        updated_at: now_ms(),
    };
    apply(&mut row, &fields);
    if let Some(p) = password
        && let Err(e) =
            crate::password::check_policy(p, &password_context(org, &row, administrative))
    {
        errors.push(e.on("password"));
    }
    // Every check runs: a required field left empty is reported beside a mistyped one (a
    // field already refused is not also called missing).
    let refused: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    errors.extend(
        missing_required(org, |f| present(&row, f))
            .into_iter()
            .filter(|e| !refused.contains(&e.field)),
    );
    (row, fields, errors)
}

/// Checks a password someone chooses against the policy (longer for administrators).
pub(crate) fn check_new_password(
    org: &Org,
    target: &super::Target,
    password: &SecretString,
) -> Result<()> {
    let rights = target
        .grants
        .iter()
        .fold(sesame_core::PermissionSet::EMPTY, |s, g| {
            s.union(g.permissions)
        });
    let ctx = password_context(org, &target.row, crate::password::administrative(rights));
    crate::password::check_policy(password, &ctx)
        .map_err(|e| Error::Invalid(vec![e.on("password")]))
}

/// What the password policy must know of this person.
fn password_context(org: &Org, row: &UserRow, administrative: bool) -> crate::password::Context {
    let personal = [
        Some(&row.login),
        row.email.as_ref(),
        row.first_name.as_ref(),
        row.last_name.as_ref(),
        Some(&org.row.name),
    ]
    .into_iter()
    .flatten()
    .filter(|v| !v.is_empty())
    .cloned()
    .collect();
    crate::password::Context {
        personal,
        administrative,
    }
}

/// Whether these roles (by name) carry administrative rights, for the password length.
async fn administrative_roles(app: &App, org: &Org, roles: &[RoleInGroup]) -> Result<bool> {
    let mut conn = app.store.read().await?;
    for r in roles {
        if let Some(role) = find_role(&mut conn, org, &r.role).await?
            && crate::password::administrative(permissions_of(&role.permissions))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The writing half of [`create`], inside the caller's transaction (the first-run setup
/// consumes its link in the same one).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn create_in(
    work: &mut Work,
    who: &Principal,
    new: NewUser,
    mut row: UserRow,
    fields: Fields,
    mut errors: Vec<FieldError>,
    hash: Option<String>,
) -> Result<UserView> {
    let org = &who.org;
    who.actor.may_create_somewhere()?;
    let groups = resolve_groups(work, org, &new.groups, &mut errors).await?;
    let roles = resolve_roles(work, org, &new.roles, &mut errors).await?;
    match fields.login.clone().flatten() {
        Some(login) => row.login = login.as_str().to_string(),
        None => row.login = suggest(work, org, &row).await?,
    }
    errors.extend(taken(work, org, &row).await?);
    if !errors.is_empty() {
        return Err(refusal(errors));
    }
    let wanted = Wanted {
        roles: Some(roles.iter().map(change::wanted).collect()),
        groups: Some(groups.iter().map(|g| g.id.clone()).collect()),
        invite: new.send_invitation,
    };
    let mut plan = match plan(&who.actor, &row.id, None, &wanted) {
        Ok(p) => p,
        Err(r) => return Err(change::refused_in(work, org, r).await?),
    };
    let create = plan.create.take().ok_or(Error::NotFound("user"))?;
    if hash.is_some() {
        row.status = Status::Active;
    }
    store_users::insert(work, &create, &row, hash.as_deref()).await?;
    change::give(work, org, &plan, row.created_at).await?;
    // An invitation to someone created with a password would be a reset link: the person
    // already has what they need.
    if new.send_invitation && hash.is_none() {
        let letter = crate::mail::Letter::new(crate::mail::Kind::Invitation, &row).by(who.person());
        if let (Some(id), Some(address)) = (work.queue(org, letter).await?, row.email.as_deref()) {
            // One at a time, as a sent invitation: a script creating and deleting the same
            // address in a loop is limited alike.
            crate::mail::limit::count_one(work, org, address, "invitation", &id, now_ms()).await?;
        }
    }
    let view = load_target(work, org, &row.id).await?.view(org);
    record(
        work,
        who,
        Change {
            action: "user.create",
            target_type: "user",
            target_id: Some(&row.id),
            target_label: Some(&row.login),
            before: None,
            after: Some(serde_json::to_value(&view)?),
        },
    )
    .await?;
    Ok(view)
}

pub async fn update(
    app: &App,
    who: &Principal,
    id: &str,
    changes: UserChanges,
) -> Result<UserView> {
    let org = &who.org;
    let raw = changes.fields();
    let (fields, mut errors) = check_each(org, &raw);
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, id).await?;
    let before = target.view(org);
    who.actor.may_edit(&target.subject())?;

    let mut row = target.row.clone();
    apply(&mut row, &fields);
    if fields.login == Some(None) {
        errors.push(FieldError::new("login", "login.empty"));
    }
    // Only the fields this change touches: a user created before a field became required can
    // still be edited without filling it in.
    let refused: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    errors.extend(
        missing_required(org, |f| present(&row, f) || !touches(&raw, f))
            .into_iter()
            .filter(|e| !refused.contains(&e.field)),
    );

    let (relative_roles, relative_groups) = match &changes.access {
        Some(a) => {
            let (r, g) = a.applied_to(&target);
            (Some(r), Some(g))
        }
        None => (None, None),
    };
    let wanted_roles = match relative_roles.as_ref().or(changes.roles.as_ref()) {
        Some(inputs) => Some(resolve_roles(&mut work, org, inputs, &mut errors).await?),
        None => None,
    };
    let wanted_groups = match relative_groups.as_ref().or(changes.groups.as_ref()) {
        Some(names) => Some(resolve_groups(&mut work, org, names, &mut errors).await?),
        None => None,
    };
    if row.login != target.row.login || row.email != target.row.email {
        errors.extend(taken(&mut work, org, &row).await?);
    }
    if !errors.is_empty() {
        return Err(refusal(errors));
    }
    let wanted = Wanted {
        roles: wanted_roles
            .as_ref()
            .map(|hs| hs.iter().map(change::wanted).collect()),
        groups: wanted_groups
            .as_ref()
            .map(|gs| gs.iter().map(|g| g.id.clone()).collect()),
        invite: false,
    };
    let plan = match plan(&who.actor, id, Some(change::before(&target)), &wanted) {
        Ok(p) => p,
        Err(r) => return Err(change::refused_in(&mut work, org, r).await?),
    };
    let edit = plan.edit.as_ref().ok_or(Error::NotFound("user"))?;
    if row.email != target.row.email {
        // One's own address leads to one's password: changed in person only.
        who.in_person_if_own(id)?;
    }
    // An active person's new address takes effect once confirmed from it; until then the old
    // one stays (and is told). An invited person's is corrected at once: the invitation may
    // have gone to a mistyped address.
    let pending_email = match (&target.row.email, &row.email) {
        (Some(old), Some(new)) if old != new && target.row.status == Status::Active => {
            let new = new.clone();
            row.email = Some(old.clone());
            Some(new)
        }
        _ => None,
    };

    row.updated_at = now_ms();
    store_users::update(&mut work, edit, &row).await?;
    change::take_back(&mut work, org, &row.id, &plan).await?;
    change::give(&mut work, org, &plan, row.updated_at).await?;
    let mut after = load_target(&mut work, org, &row.id).await?.view(org);
    if let Some(new) = &pending_email {
        request_email_change(&mut work, who, &row, new).await?;
        after.pending_email = Some(new.clone());
    }
    let b = strip_updated(&serde_json::to_value(&before)?);
    let a = strip_updated(&serde_json::to_value(&after)?);
    if b != a {
        work.record(
            who,
            Change {
                action: "user.update",
                target_type: "user",
                target_id: Some(&row.id),
                target_label: Some(&row.login),
                before: Some(b),
                after: Some(a),
            },
        )
        .await?;
        work.commit().await?;
        Ok(after)
    } else {
        // Nothing changed: leave no trace, not even a new `updated_at`.
        work.rollback().await?;
        Ok(before)
    }
}

/// Sends the link that confirms `new` to it, and a notice to the current address.
async fn request_email_change(
    work: &mut Work,
    who: &Principal,
    row: &UserRow,
    new: &str,
) -> Result<()> {
    use crate::mail::{Kind, Letter};
    let by = who.person();
    let mut confirm = Letter::new(Kind::EmailChange, row).by(by);
    confirm.to = Some(new);
    confirm.new_email = Some(new);
    work.queue(&who.org, confirm).await?;
    let mut notice = Letter::new(Kind::EmailChanged, row).by(by);
    notice.new_email = Some(new);
    work.queue(&who.org, notice).await?;
    Ok(())
}

fn strip_updated(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("updated_at");
    }
    v
}

pub async fn disable(app: &App, who: &Principal, id: &str) -> Result<UserView> {
    set_status(app, who, id, Switch::Off).await
}

pub async fn enable(app: &App, who: &Principal, id: &str) -> Result<UserView> {
    set_status(app, who, id, Switch::On).await
}

/// Disabling or enabling an account.
enum Switch {
    Off,
    On,
}

async fn set_status(app: &App, who: &Principal, id: &str, to: Switch) -> Result<UserView> {
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, id).await?;
    let allowed = who.actor.may_disable(&target.subject())?;
    let mut row = target.row.clone();
    let action = match to {
        Switch::Off => {
            if who.user_id() == Some(id) {
                return Err(Error::Refused(FieldError::new("id", "user.self_disable")));
            }
            if row.status == Status::Active && is_administrator(&target.grants) {
                ensure_other_admin(&mut work, org, id).await?;
            }
            row.status = Status::Disabled;
            sesame_store::tokens::revoke_all_of(&mut work, &allowed, now_ms()).await?;
            "user.disable"
        }
        Switch::On => {
            let has_password = store_users::for_sign_in(&mut work, org.id(), &row.login)
                .await?
                .and_then(|c| c.password_hash)
                .is_some();
            row.status = if has_password {
                Status::Active
            } else {
                Status::Invited
            };
            "user.enable"
        }
    };
    if row.status == target.row.status {
        return Ok(target.view(org));
    }
    row.updated_at = now_ms();
    store_users::update(&mut work, &allowed, &row).await?;
    work.record(
        who,
        Change {
            action,
            target_type: "user",
            target_id: Some(id),
            target_label: Some(&row.login),
            before: Some(serde_json::json!({ "status": target.row.status })),
            after: Some(serde_json::json!({ "status": row.status })),
        },
    )
    .await?;
    let view = load_target(&mut work, org, id).await?.view(org);
    work.commit().await?;
    Ok(view)
}

/// Deletes a user by anonymising them: personal data goes, the audit trail stays readable.
pub async fn delete(app: &App, who: &Principal, id: &str) -> Result<()> {
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, id).await?;
    let allowed = who.actor.may_delete(&target.subject())?;
    if who.user_id() == Some(id) {
        return Err(Error::Refused(FieldError::new("id", "user.self_delete")));
    }
    if target.row.status == Status::Active && is_administrator(&target.grants) {
        ensure_other_admin(&mut work, org, id).await?;
    }
    let before = serde_json::to_value(target.view(org))?;
    let now = now_ms();
    sesame_store::tokens::revoke_all_of(&mut work, &allowed, now).await?;
    sesame_store::mfa::remove(&mut work, org.id(), id).await?;
    sesame_store::passkeys::remove_all(&mut work, org.id(), id).await?;
    sesame_store::signatures::set(&mut work, &allowed, "", now).await?;
    sesame_store::notifications::forget_user(&mut work, org.id(), id).await?;
    sesame_store::outbox::forget_user(&mut work, org.id(), id).await?;
    store_users::anonymise(&mut work, &allowed, now).await?;
    work.record(
        who,
        Change {
            action: "user.delete",
            target_type: "user",
            target_id: Some(id),
            target_label: Some(&target.row.login),
            before: Some(before),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Sets a password (the operator's `user passwd`): the account becomes active and every
/// existing session of it ends (its API tokens stay: disabling the account ends those).
/// The signed-in person changes their own password, typing the current one first (a session
/// left open on a shared computer does not let someone else take the account). Every session
/// ends, as with any new password.
pub async fn change_own_password(
    app: &App,
    who: &InPerson,
    current: SecretString,
    new: SecretString,
) -> Result<UserView> {
    let id = who
        .user_id()
        .map(str::to_string)
        .ok_or(Error::Unauthenticated("auth.required"))?;
    crate::two_factor::confirm_password(app, who, current)
        .await
        .map_err(|e| match e {
            Error::Invalid(_) => Error::Invalid(vec![FieldError::new(
                "current_password",
                "password.incorrect",
            )]),
            other => other,
        })?;
    set_password(app, who, &id, new).await
}

pub async fn set_password(
    app: &App,
    who: &Principal,
    id: &str,
    password: SecretString,
) -> Result<UserView> {
    let org = &who.org;
    who.in_person_if_own(id)?;
    {
        let mut conn = app.store.read().await?;
        let target = load_target(&mut conn, org, id).await?;
        who.actor.may_edit(&target.subject())?;
        check_new_password(org, &target, &password)?;
    }
    let hash = app.hasher.hash(password).await?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, id).await?;
    let allowed = who.actor.may_edit(&target.subject())?;
    let now = now_ms();
    store_users::set_password_hash(&mut work, &allowed, Some(&hash), now).await?;
    if target.row.status == Status::Invited {
        let mut row = target.row.clone();
        row.status = Status::Active;
        row.updated_at = now;
        store_users::update(&mut work, &allowed, &row).await?;
    }
    sesame_store::tokens::revoke_sessions_of(&mut work, &allowed, None, now).await?;
    if target.row.status == Status::Active {
        work.queue(
            org,
            crate::mail::Letter::new(crate::mail::Kind::PasswordChanged, &target.row)
                .by(who.person()),
        )
        .await?;
    }
    work.record(who,
        Change {
            action: "user.password_set",
            target_type: "user",
            target_id: Some(id),
            target_label: Some(&target.row.login),
            before: Some(serde_json::json!({ "status": target.row.status })),
            after: Some(serde_json::json!({ "status": if target.row.status == Status::Invited { Status::Active } else { target.row.status } })),
        },
    )
    .await?;
    let view = load_target(&mut work, org, id).await?.view(org);
    work.commit().await?;
    Ok(view)
}

pub(crate) fn apply(row: &mut UserRow, f: &Fields) {
    if let Some(Some(v)) = &f.login {
        row.login = v.as_str().to_string();
    }
    if let Some(v) = &f.email {
        row.email = v.as_ref().map(|e| e.as_str().to_string());
    }
    if let Some(v) = &f.first_name {
        row.first_name = v.as_ref().map(|n| n.as_str().to_string());
    }
    if let Some(v) = &f.last_name {
        row.last_name = v.as_ref().map(|n| n.as_str().to_string());
    }
    if let Some(v) = &f.phone {
        row.phone = v.as_ref().map(|p| p.e164().to_string());
    }
    if let Some(v) = f.language {
        row.language = v.code().to_string();
    }
    if let Some(v) = &f.address_line {
        row.address_line.clone_from(v);
    }
    if let Some(v) = &f.postal_code {
        row.postal_code.clone_from(v);
    }
    if let Some(v) = &f.city {
        row.city.clone_from(v);
    }
}

fn touches(raw: &RawFields<'_>, f: UserField) -> bool {
    !match f {
        UserField::Login => raw.login.is_absent(),
        UserField::Email => raw.email.is_absent(),
        UserField::FirstName => raw.first_name.is_absent(),
        UserField::LastName => raw.last_name.is_absent(),
        UserField::Phone => raw.phone.is_absent(),
        UserField::Address => raw.address_line.is_absent() && raw.city.is_absent(),
    }
}

pub(crate) fn present(row: &UserRow, f: UserField) -> bool {
    match f {
        UserField::Login => !row.login.is_empty(),
        UserField::Email => row.email.is_some(),
        UserField::FirstName => row.first_name.is_some(),
        UserField::LastName => row.last_name.is_some(),
        UserField::Phone => row.phone.is_some(),
        UserField::Address => row.address_line.is_some() && row.city.is_some(),
    }
}

/// A free login from the names (`prenom.nom`, then `prenom.nom2`, …), else from the e-mail.
pub(crate) async fn suggest(conn: &mut Conn, org: &Org, row: &UserRow) -> Result<String> {
    let (first, last) = names_for_login(row);
    let base = suggest_login(&first, &last, |_| false);
    let taken: BTreeSet<String> = store_users::logins_starting_with(conn, org.id(), base.as_str())
        .await?
        .into_iter()
        .collect();
    Ok(suggest_login(&first, &last, |l| taken.contains(l))
        .as_str()
        .to_string())
}

/// The login and address of `row` that someone else already has.
async fn taken(conn: &mut Conn, org: &Org, row: &UserRow) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if !row.login.is_empty()
        && let Some(other) = store_users::by_login(conn, org.id(), &row.login).await?
        && other.id != row.id
    {
        errors.push(FieldError::new("login", "login.taken").with("value", &row.login));
    }
    if let Some(email) = &row.email
        && let Some(other) = store_users::by_email(conn, org.id(), email).await?
        && other.id != row.id
    {
        errors.push(FieldError::new("email", "email.taken").with("value", email));
    }
    Ok(errors)
}

/// Every error of a refused form, together: a conflict (409) when the only trouble is a login
/// or address already taken, invalid input (422) otherwise.
fn refusal(errors: Vec<FieldError>) -> Error {
    if errors.iter().all(|e| e.code.ends_with(".taken")) {
        Error::Conflict(errors)
    } else {
        Error::Invalid(errors)
    }
}

async fn resolve_groups(
    conn: &mut Conn,
    org: &Org,
    names: &[String],
    errors: &mut Vec<FieldError>,
) -> Result<Vec<GroupRow>> {
    let mut out: Vec<GroupRow> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match sesame_store::groups::by_name(conn, org.id(), name).await? {
            Some(g) if !out.iter().any(|o| o.id == g.id) => out.push(g),
            Some(_) => {}
            None => errors.push(unknown_group(conn, org, &format!("groups[{i}]"), name).await?),
        }
    }
    Ok(out)
}

async fn resolve_roles(
    conn: &mut Conn,
    org: &Org,
    inputs: &[RoleInGroup],
    errors: &mut Vec<FieldError>,
) -> Result<Vec<Held>> {
    let mut out: Vec<Held> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let role = find_role(conn, org, &input.role).await?;
        if role.is_none() {
            errors.push(unknown_role(conn, org, &format!("roles[{i}].role"), &input.role).await?);
        }
        let group = match input.group.as_deref().filter(|g| !g.trim().is_empty()) {
            None => None,
            Some(name) => match sesame_store::groups::by_name(conn, org.id(), name).await? {
                Some(g) => Some(g),
                None => {
                    errors
                        .push(unknown_group(conn, org, &format!("roles[{i}].group"), name).await?);
                    continue;
                }
            },
        };
        if let Some(role) = role {
            let h = Held {
                role: std::sync::Arc::new(role),
                group: group.map(std::sync::Arc::new),
            };
            if !out.iter().any(|o| o.key() == h.key()) {
                out.push(h);
            }
        }
    }
    Ok(out)
}

/// Refuses when `user_id` is the last active administrator.
pub(crate) async fn ensure_other_admin(conn: &mut Conn, org: &Org, user_id: &str) -> Result<()> {
    let mut by_user: HashMap<String, Vec<Grant>> = HashMap::new();
    for (uid, perms) in sesame_store::roles::org_wide_of_active_users(conn, org.id()).await? {
        by_user.entry(uid).or_default().push(Grant {
            role_id: String::new(),
            permissions: permissions_of(&perms),
            scope: Scope::Organisation,
        });
    }
    let others = by_user
        .iter()
        .filter(|(uid, g)| uid.as_str() != user_id && is_administrator(g))
        .count();
    if others == 0 {
        Err(Error::Refused(FieldError::new("id", "user.last_admin")))
    } else {
        Ok(())
    }
}
