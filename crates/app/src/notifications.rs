//! Notification preferences ("Notification par courriel"): which e-mail alerts each person
//! receives, with a per-group filter for the alert types that allow one.
//!
//! Alert types are Sésame's own ([`BUILTIN`]) plus those other applications register. Each
//! person opts in or out per type; who never chose follows the organisation's default. A
//! built-in type may also name an *audience*, a permission its recipients must hold over the
//! organisation or within one of the event's groups: security notices go to administrators
//! only, and a new member's name only to people who may see that member. Registered types have
//! no audience: the application that sends them decides what they reveal.

use crate::audit::Change;
use crate::i18n::message;
use crate::mail::{Kind, Letter};
use crate::patch::Patch;
use crate::work::Work;
use crate::{App, Error, InPerson, Org, Principal, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sesame_core::policy::{Grant, Visibility, alerts};
use sesame_core::{FieldError, Language, Permission, parse_label};
use sesame_store::notifications::{self as store, AlertTypeRow, RecipientQuery};
use sesame_store::users::UserRow;
use sesame_store::{Conn, now_ms};

/// One of Sésame's own alert types. Its labels are the messages `alert-<key>` of the catalogues.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub key: &'static str,
    pub group_filter: bool,
    /// The default until the organisation sets its own.
    pub default_on: bool,
    pub audience: Permission,
}

pub const BUILTIN: [Builtin; 3] = [
    Builtin {
        key: "member_joined",
        group_filter: true,
        default_on: false,
        audience: Permission::ViewUsers,
    },
    Builtin {
        key: "import_finished",
        group_filter: false,
        default_on: true,
        audience: Permission::Import,
    },
    Builtin {
        key: "security",
        group_filter: false,
        default_on: true,
        audience: Permission::OrgSettings,
    },
];

/// An alert type as the organisation has it: built in or registered, with its default.
#[derive(Debug, Clone)]
struct AlertType {
    key: String,
    label_fr: String,
    label_en: String,
    group_filter: bool,
    default_on: bool,
    builtin: bool,
    audience: Option<Permission>,
}

impl AlertType {
    fn label(&self, lang: Language) -> &str {
        match lang {
            Language::Fr => &self.label_fr,
            Language::En => &self.label_en,
        }
    }

    /// Whether someone holding `held` anywhere may receive this type.
    fn open_to(&self, grants: &[Grant]) -> bool {
        alerts::may_subscribe(grants, self.audience)
    }

    fn query(&self, group_ids: &[String]) -> RecipientQuery {
        RecipientQuery {
            alert_key: self.key.clone(),
            default_on: self.default_on,
            filter_groups: (self.group_filter && !group_ids.is_empty()).then(|| group_ids.to_vec()),
            audience: self.audience.map(|p| alerts::audience(p, group_ids)),
            ..RecipientQuery::default()
        }
    }
}

/// Every alert type of the organisation: Sésame's own first, then the registered ones by key.
async fn alert_types(conn: &mut Conn, org_id: &str) -> Result<Vec<AlertType>> {
    let defaults = store::defaults(conn, org_id).await?;
    let default_of = |key: &str, own: bool| {
        defaults
            .iter()
            .find(|(k, _)| k == key)
            .map_or(own, |(_, on)| *on)
    };
    let mut out: Vec<AlertType> = BUILTIN
        .iter()
        .map(|b| {
            let id = format!("alert.{}", b.key);
            AlertType {
                key: b.key.to_string(),
                label_fr: message(Language::Fr, &id, &[]),
                label_en: message(Language::En, &id, &[]),
                group_filter: b.group_filter,
                default_on: default_of(b.key, b.default_on),
                builtin: true,
                audience: Some(b.audience),
            }
        })
        .collect();
    for r in store::registered(conn, org_id).await? {
        out.push(AlertType {
            default_on: default_of(&r.key, false),
            key: r.key,
            label_fr: r.label_fr,
            label_en: r.label_en,
            group_filter: r.group_filter,
            builtin: false,
            audience: None,
        });
    }
    Ok(out)
}

/// "No such alert", listing the keys expected.
fn unknown_alert(field: String, value: &str, types: &[&AlertType]) -> FieldError {
    let keys: Vec<&str> = types.iter().map(|t| t.key.as_str()).collect();
    FieldError::new(field, "alert.unknown")
        .with("value", value.trim())
        .with("expected", keys.join(", "))
}

fn find<'a>(types: &'a [AlertType], key: &str) -> Option<&'a AlertType> {
    let key = key.trim();
    types.iter().find(|t| t.key == key)
}

/// A group by id, or by name (case and accents ignored).
async fn find_group(
    conn: &mut Conn,
    org: &Org,
    id_or_name: &str,
) -> Result<Option<(String, String)>> {
    let raw = sesame_core::error::trim_all(id_or_name);
    let g = match sesame_store::groups::get(conn, org.id(), raw).await? {
        Some(g) => Some(g),
        None => sesame_store::groups::by_name(conn, org.id(), raw).await?,
    };
    Ok(g.map(|g| (g.id, g.name)))
}

// ---------------------------------------------------------------------------------------------
// The registry.

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertTypeView {
    pub key: String,
    /// In the reader's language.
    pub label: String,
    pub label_fr: String,
    pub label_en: String,
    /// Whether people may limit this alert to some groups.
    pub group_filter: bool,
    /// The organisation's default for people who never chose.
    pub default_on: bool,
    /// One of Sésame's own (`member_joined`, `import_finished`, `security`).
    pub builtin: bool,
    /// Only holders of this permission receive it (over the organisation or the event's group).
    pub permission: Option<String>,
}

fn type_view(t: &AlertType, lang: Language) -> AlertTypeView {
    AlertTypeView {
        key: t.key.clone(),
        label: t.label(lang).to_string(),
        label_fr: t.label_fr.clone(),
        label_en: t.label_en.clone(),
        group_filter: t.group_filter,
        default_on: t.default_on,
        builtin: t.builtin,
        permission: t.audience.map(|p| p.code().to_string()),
    }
}

/// Every alert type; anyone signed in may read them.
pub async fn list_alerts(app: &App, who: &Principal) -> Result<Vec<AlertTypeView>> {
    let mut conn = app.store.read().await?;
    let lang = who.language();
    Ok(alert_types(&mut conn, who.org.id())
        .await?
        .iter()
        .map(|t| type_view(t, lang))
        .collect())
}

/// An alert type another application registers.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertTypeInput {
    /// 1–64 characters: lowercase letters without accents, digits, `_`, `.`, `-`, starting with
    /// a letter or digit (`menus.published`). Registering a key again updates its labels and
    /// filterability.
    pub key: String,
    /// What the alert says, in French (at most 80 characters).
    pub label_fr: String,
    /// The same in English.
    pub label_en: String,
    /// Whether people may limit the alert to some groups.
    pub group_filter: bool,
    /// The organisation's default, unless one is already set (off when none ever was):
    /// registering again never undoes what the administrators chose.
    #[serde(default)]
    pub default_on: Option<bool>,
}

fn parse_key(raw: &str) -> std::result::Result<String, FieldError> {
    let key = sesame_core::error::trim_all(raw);
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c);
    let ok = (1..=64).contains(&key.chars().count())
        && key.chars().all(allowed)
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(key.to_string())
    } else {
        Err(FieldError::new("key", "alert.key_invalid").with("value", key))
    }
}

/// Registers (or updates) an alert type. Answers its view and whether it is new.
pub async fn register(
    app: &App,
    who: &Principal,
    input: AlertTypeInput,
) -> Result<(AlertTypeView, bool)> {
    let allowed = who.actor.may_change_settings()?;
    let mut errors = Vec::new();
    let key = parse_key(&input.key).map_err(|e| errors.push(e)).ok();
    if let Some(k) = &key
        && BUILTIN.iter().any(|b| b.key == k.as_str())
    {
        errors.push(FieldError::new("key", "alert.key_reserved").with("value", k.clone()));
    }
    let label_fr = parse_label(&input.label_fr)
        .map_err(|e| errors.push(e.on("label_fr")))
        .ok();
    let label_en = parse_label(&input.label_en)
        .map_err(|e| errors.push(e.on("label_en")))
        .ok();
    let (Some(key), Some(label_fr), Some(label_en), true) =
        (key, label_fr, label_en, errors.is_empty())
    else {
        return Err(Error::Invalid(errors));
    };
    let now = now_ms();
    let mut work = Work::begin(app).await?;
    let before = store::registered(&mut work, who.org.id())
        .await?
        .into_iter()
        .find(|r| r.key == key);
    let row = AlertTypeRow {
        org_id: who.org.id().to_string(),
        key: key.clone(),
        label_fr,
        label_en,
        group_filter: input.group_filter,
        created_at: before.as_ref().map_or(now, |b| b.created_at),
        updated_at: now,
    };
    store::register(&mut work, &allowed, &row).await?;
    if let Some(on) = input.default_on {
        store::set_default(&mut work, &allowed, &key, on, now, true).await?;
    }
    let described = |r: &AlertTypeRow| json!({"label_fr": r.label_fr, "label_en": r.label_en, "group_filter": r.group_filter});
    let mut after = described(&row);
    if before.is_none() {
        after["default_on"] = json!(input.default_on.unwrap_or(false));
    }
    work.record(
        who,
        Change {
            action: "notifications.alert_register",
            target_type: "alert",
            target_id: Some(&key),
            target_label: Some(&row.label_fr),
            before: before.as_ref().map(described),
            after: Some(after),
        },
    )
    .await?;
    let types = alert_types(&mut work, who.org.id()).await?;
    work.commit().await?;
    let t = find(&types, &key).ok_or(Error::Internal("alert type just registered".into()))?;
    Ok((type_view(t, who.language()), before.is_none()))
}

// ---------------------------------------------------------------------------------------------
// The organisation's defaults.

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertDefault {
    /// An alert type's key.
    pub alert: String,
    /// Whether people who never chose receive it.
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertDefaults {
    /// In the answer, every alert type; in a change, only those to change.
    pub defaults: Vec<AlertDefault>,
}

fn defaults_view(types: &[AlertType]) -> AlertDefaults {
    AlertDefaults {
        defaults: types
            .iter()
            .map(|t| AlertDefault {
                alert: t.key.clone(),
                enabled: t.default_on,
            })
            .collect(),
    }
}

pub async fn defaults(app: &App, who: &Principal) -> Result<AlertDefaults> {
    let mut conn = app.store.read().await?;
    Ok(defaults_view(&alert_types(&mut conn, who.org.id()).await?))
}

/// Sets the organisation's defaults of the alert types listed; the others keep theirs.
pub async fn set_defaults(
    app: &App,
    who: &Principal,
    input: AlertDefaults,
) -> Result<AlertDefaults> {
    let allowed = who.actor.may_change_settings()?;
    let mut work = Work::begin(app).await?;
    let types = alert_types(&mut work, who.org.id()).await?;
    let all: Vec<&AlertType> = types.iter().collect();
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    for (i, d) in input.defaults.iter().enumerate() {
        match find(&types, &d.alert) {
            Some(t) => {
                // Named twice: the last one says it.
                changes.retain(|(c, _): &(&AlertType, bool)| c.key != t.key);
                changes.push((t, d.enabled));
            }
            None => errors.push(unknown_alert(
                format!("defaults[{i}].alert"),
                &d.alert,
                &all,
            )),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let now = now_ms();
    let (mut before, mut after) = (Map::new(), Map::new());
    for (t, on) in changes.iter().filter(|(t, on)| t.default_on != *on) {
        store::set_default(&mut work, &allowed, &t.key, *on, now, false).await?;
        before.insert(t.key.clone(), json!(t.default_on));
        after.insert(t.key.clone(), json!(on));
    }
    if !after.is_empty() {
        work.record(
            who,
            Change {
                action: "notifications.defaults_update",
                target_type: "organisation",
                target_id: Some(who.org.id()),
                target_label: Some(&who.org.row.name),
                before: Some(Value::Object(before)),
                after: Some(Value::Object(after)),
            },
        )
        .await?;
    }
    let types = alert_types(&mut work, who.org.id()).await?;
    work.commit().await?;
    Ok(defaults_view(&types))
}

// ---------------------------------------------------------------------------------------------
// One's own choices.

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertChoice {
    /// The alert type's key.
    pub alert: String,
    /// In the reader's language.
    pub label: String,
    /// Whether `groups` may be set.
    pub group_filter: bool,
    /// Whether this person receives it.
    pub enabled: bool,
    /// `enabled` is the organisation's default: this person never chose.
    pub from_default: bool,
    /// Names of the groups the alert is limited to; empty for every group.
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyNotifications {
    /// Every alert type this person may receive.
    pub alerts: Vec<AlertChoice>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertChoiceInput {
    /// The alert type's key.
    pub alert: String,
    /// `true` or `false`; `null` to follow the organisation's default again; absent to leave
    /// as it is.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub enabled: Patch<bool>,
    /// Groups (names, case and accents ignored, or ids) to limit the alert to, for the types
    /// that allow it; `[]` or `null` for every group; absent to leave as it is.
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub groups: Patch<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyNotificationsInput {
    /// Only the alert types to change.
    pub alerts: Vec<AlertChoiceInput>,
}

fn me(who: &Principal) -> Result<&crate::Person> {
    who.person().ok_or(Error::NotFound("user"))
}

async fn my_view(conn: &mut Conn, who: &Principal, user_id: &str) -> Result<MyNotifications> {
    view_of(
        conn,
        who.org.id(),
        who.actor.grants(),
        who.language(),
        user_id,
    )
    .await
}

/// The choices of `user_id`, who holds `grants`, read in `lang`.
async fn view_of(
    conn: &mut Conn,
    org_id: &str,
    grants: &[Grant],
    lang: Language,
    user_id: &str,
) -> Result<MyNotifications> {
    let types = alert_types(conn, org_id).await?;
    let choices = store::choices_of(conn, org_id, user_id).await?;
    let alerts = types
        .iter()
        .filter(|t| t.open_to(grants))
        .map(|t| {
            let c = choices.iter().find(|c| c.key == t.key);
            let chosen = c.and_then(|c| c.enabled);
            AlertChoice {
                alert: t.key.clone(),
                label: t.label(lang).to_string(),
                group_filter: t.group_filter,
                enabled: chosen.unwrap_or(t.default_on),
                from_default: chosen.is_none(),
                groups: c
                    .map(|c| c.groups.iter().map(|(_, n)| n.clone()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(MyNotifications { alerts })
}

pub async fn mine(app: &App, who: &InPerson) -> Result<MyNotifications> {
    let user = me(who)?;
    let mut conn = app.store.read().await?;
    my_view(&mut conn, who, user.id()).await
}

/// Another person's choices, for those who may see that person (only they change them): the
/// alert types they may receive, in the reader's language.
pub async fn of_user(app: &App, who: &Principal, user_id: &str) -> Result<MyNotifications> {
    let mut conn = app.store.read().await?;
    let target = crate::target::load_target(&mut conn, &who.org, user_id).await?;
    who.actor.may_view(&target.subject())?;
    view_of(
        &mut conn,
        who.org.id(),
        &target.grants,
        who.language(),
        &target.row.id,
    )
    .await
}

/// Changes one's own choices for the alert types listed.
pub async fn choose(
    app: &App,
    who: &InPerson,
    input: MyNotificationsInput,
) -> Result<MyNotifications> {
    let user_id = me(who)?.id().to_string();
    choose_for(app, who, &user_id, input).await
}

/// Changes the choices of `user_id` for the alert types listed: one's own (in person), or
/// those of someone one may edit ([`sesame_core::policy::Actor::may_choose_alerts`]). Only
/// the alert types that person may receive can be chosen, and only the organisation's groups
/// as a filter. A change made by someone else is audited under their name and the person is
/// told by e-mail, in their language; they can change their choices again themselves.
pub async fn choose_for(
    app: &App,
    who: &Principal,
    user_id: &str,
    input: MyNotificationsInput,
) -> Result<MyNotifications> {
    who.in_person_if_own(user_id)?;
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let target = crate::target::load_target(&mut work, org, user_id).await?;
    let allowed = who.actor.may_choose_alerts(&target.subject())?;
    let types = alert_types(&mut work, org.id()).await?;
    let open: Vec<&AlertType> = types.iter().filter(|t| t.open_to(&target.grants)).collect();
    let mut errors = Vec::new();
    // (type, enabled, group filter (ids, names)) for each valid entry.
    let mut changes = Vec::new();
    for (i, c) in input.alerts.iter().enumerate() {
        let Some(t) = open.iter().find(|t| t.key == c.alert.trim()) else {
            errors.push(unknown_alert(format!("alerts[{i}].alert"), &c.alert, &open));
            continue;
        };
        let mut groups = None;
        match &c.groups {
            Patch::Absent => {}
            Patch::Null => groups = Some(Vec::new()),
            Patch::Value(names) if names.is_empty() => groups = Some(Vec::new()),
            Patch::Value(_) if !t.group_filter => errors.push(
                FieldError::new(format!("alerts[{i}].groups"), "alert.no_group_filter")
                    .with("alert", t.key.clone()),
            ),
            Patch::Value(names) => {
                let mut found: Vec<(String, String)> = Vec::new();
                for (j, name) in names.iter().enumerate() {
                    match find_group(&mut work, org, name).await? {
                        Some(g) if !found.contains(&g) => found.push(g),
                        Some(_) => {}
                        None => errors.push(
                            crate::target::unknown_group(
                                &mut work,
                                org,
                                &format!("alerts[{i}].groups[{j}]"),
                                name,
                            )
                            .await?,
                        ),
                    }
                }
                groups = Some(found);
            }
        }
        let enabled = match c.enabled {
            Patch::Absent => None,
            Patch::Null => Some(None),
            Patch::Value(on) => Some(Some(on)),
        };
        changes.push((*t, enabled, groups));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let describe = |view: &MyNotifications| -> Map<String, Value> {
        view.alerts
            .iter()
            .filter(|a| changes.iter().any(|(t, _, _)| t.key == a.alert))
            .map(|a| {
                let enabled = if a.from_default {
                    json!("default")
                } else {
                    json!(a.enabled)
                };
                (
                    a.alert.clone(),
                    json!({"enabled": enabled, "groups": a.groups}),
                )
            })
            .collect()
    };
    let lang = who.language();
    let (org_id, person) = (org.id(), target.row.id.as_str());
    let before = describe(&view_of(&mut work, org_id, &target.grants, lang, person).await?);
    let now = now_ms();
    for (t, enabled, groups) in &changes {
        if let Some(enabled) = enabled {
            store::set_choice(&mut work, &allowed, &t.key, *enabled, now).await?;
        }
        if let Some(groups) = groups {
            let ids: Vec<String> = groups.iter().map(|(id, _)| id.clone()).collect();
            store::set_filter(&mut work, &allowed, &t.key, &ids).await?;
        }
    }
    let view = view_of(&mut work, org_id, &target.grants, lang, person).await?;
    let after = describe(&view);
    if before != after {
        work.record(
            who,
            Change {
                action: "notifications.update",
                target_type: "user",
                target_id: Some(person),
                target_label: Some(&target.row.login),
                before: Some(Value::Object(before)),
                after: Some(Value::Object(after)),
            },
        )
        .await?;
        if who.user_id() != Some(person) {
            let letter = Letter::new(Kind::AlertsChanged, &target.row).by(who.person());
            work.queue(org, letter).await?;
        }
    }
    work.commit().await?;
    Ok(view)
}

// ---------------------------------------------------------------------------------------------
// Who should be alerted.

/// Who should be alerted of an `alert` event in the groups `group_ids`: active users with an
/// e-mail address who opted in (or follow an organisation default that is on), whose group
/// filter is empty or holds one of `group_ids` (when `group_ids` is empty, or the type is not
/// filterable, filters are ignored), and who hold the type's audience permission over the
/// organisation or within one of `group_ids`. No permission check: for the mail sender.
pub async fn recipients_in(
    conn: &mut Conn,
    org: &Org,
    alert: &str,
    group_ids: &[String],
) -> Result<Vec<UserRow>> {
    let types = alert_types(conn, org.id()).await?;
    let all: Vec<&AlertType> = types.iter().collect();
    let t = find(&types, alert).ok_or_else(|| unknown_alert("alert".into(), alert, &all))?;
    Ok(store::recipients(conn, org.id(), &t.query(group_ids)).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecipientsQuery {
    /// The alert type's key (required).
    pub alert: Option<String>,
    /// The group the event happened in (name or id): people who limited this alert to other
    /// groups are left out. Ignored for types that cannot be filtered.
    pub group: Option<String>,
    /// 1–1000, 500 by default.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Recipient {
    pub id: String,
    pub login: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `fr` or `en`: write to them in it.
    pub language: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecipientPage {
    pub items: Vec<Recipient>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// Who should be alerted, for other applications: needs the right to see users (someone who
/// sees only some groups gets only those groups' members).
pub async fn recipients(app: &App, who: &Principal, q: &RecipientsQuery) -> Result<RecipientPage> {
    let (_, visibility) = who.actor.may_list_users()?;
    let org = &who.org;
    let mut conn = app.store.read().await?;
    let types = alert_types(&mut conn, org.id()).await?;
    let all: Vec<&AlertType> = types.iter().collect();
    let mut errors = Vec::new();
    let t = match q.alert.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("alert", "request.missing_field").with("field", "alert"));
            None
        }
        Some(key) => match find(&types, key) {
            Some(t) => Some(t),
            None => {
                errors.push(unknown_alert("alert".into(), key, &all));
                None
            }
        },
    };
    let mut group_ids = Vec::new();
    if let Some(g) = q.group.as_deref().filter(|g| !g.trim().is_empty()) {
        match find_group(&mut conn, org, g).await? {
            Some((id, _)) => group_ids.push(id),
            None => errors.push(crate::target::unknown_group(&mut conn, org, "group", g).await?),
        }
    }
    let limit = q.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "1000"),
        );
    }
    let Some(t) = t.filter(|_| errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let mut query = t.query(&group_ids);
    query.after_login = q.cursor.clone().filter(|c| !c.is_empty());
    query.limit = Some(limit + 1);
    if let Visibility::Groups(visible) = visibility {
        query.visible_groups = Some(visible);
    }
    let mut rows = store::recipients(&mut conn, org.id(), &query).await?;
    let next_cursor = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|u| u.login.clone()).unwrap_or_default()
    });
    Ok(RecipientPage {
        items: rows
            .into_iter()
            .map(|u| Recipient {
                id: u.id,
                login: u.login,
                email: u.email.unwrap_or_default(),
                first_name: u.first_name,
                last_name: u.last_name,
                language: u.language,
            })
            .collect(),
        next_cursor,
    })
}

/// Alerts the administrators who asked for security alerts (`security`), except the person it
/// is about and the one who acted.
pub async fn alert_security(
    work: &mut Work,
    org: &Org,
    event: &'static str,
    member: &UserRow,
    actor: Option<&crate::Person>,
    count: Option<i64>,
) -> Result<()> {
    for r in recipients_in(work, org, "security", &[]).await? {
        if r.id == member.id || actor.is_some_and(|a| a.id() == r.id) {
            continue;
        }
        let mut letter = Letter::new(Kind::SecurityAlert, &r);
        letter.member = Some(member);
        letter.actor = actor;
        letter.event = Some(event);
        letter.count = count;
        work.queue(org, letter).await?;
    }
    Ok(())
}
