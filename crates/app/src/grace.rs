//! The grace period of required two-factor (issue 22).
//!
//! When a role requiring two-factor is given to someone without it, or a role they hold starts
//! requiring it, they get a deadline (the organisation's `mfa_grace_days` from then, kept in
//! the database). Until it passes they sign in as before, with a banner and reminders; after
//! it, a new sign-in leads only to enrolment. A session opened before the deadline stays whole
//! until it ends: neither a policy change nor the deadline passing cuts anyone off mid-session
//! (with 0 days the deadline is the moment of the change, so only new sign-ins must enrol).
//! Enrolling removes the deadline ([`crate::two_factor::confirm`]).
//!
//! Reminders ([`remind_due`]) are queued by a schedule every instance runs: at the start, three
//! days before the end and on the last day, each once per deadline — a row in
//! `mfa_grace_reminders` inserted in the same transaction as the message decides who queues it.

use crate::audit::Change;
use crate::mail::{Kind, Letter};
use crate::target::load_target;
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, two_factor};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_store::Conn;
use sesame_store::mfa_grace::{GraceRow, SecondFactorState};
use std::collections::HashSet;

pub const DAY_MS: i64 = 86_400_000;

/// The most days a grace period may be set to (organisation setting and extensions alike).
pub const MAX_DAYS: i64 = 365;

/// Whether a person required to use two-factor, without it, may act fully in a session opened
/// at `opened_at` (a new sign-in: now): their deadline had not passed then.
pub fn covers(deadline: Option<i64>, opened_at: i64) -> bool {
    deadline.is_some_and(|d| d > opened_at)
}

/// Whether a session opened at `opened_at` may only enrol: a role requires two-factor, the
/// person has none, and their grace period (if any) had ended when the session was opened.
pub fn must_enrol(
    required: bool,
    has_two_factor: bool,
    deadline: Option<i64>,
    opened_at: i64,
) -> bool {
    required && !has_two_factor && !covers(deadline, opened_at)
}

/// Whole days left before `deadline` at `now`, counting a started day (0 once passed).
pub fn days_left(deadline: i64, now: i64) -> i64 {
    if deadline <= now {
        0
    } else {
        (deadline - now + DAY_MS - 1) / DAY_MS
    }
}

/// Who was required to use two-factor before a change: taken before the change, handed to
/// [`start_for_newly_required`] after it.
pub struct RequiredBefore(HashSet<String>);

pub async fn required_before(conn: &mut Conn, org: &Org) -> Result<RequiredBefore> {
    Ok(RequiredBefore(
        sesame_store::mfa_grace::required_users(conn, org.id()).await?,
    ))
}

/// Starts the grace period of everyone required now who was not before and has no two-factor;
/// answers how many.
pub async fn start_for_newly_required(
    conn: &mut Conn,
    org: &Org,
    before: RequiredBefore,
    now: i64,
) -> Result<usize> {
    let after = sesame_store::mfa_grace::required_users(conn, org.id()).await?;
    let newly: Vec<String> = after.difference(&before.0).cloned().collect();
    if newly.is_empty() {
        return Ok(0);
    }
    let lacking = two_factor::lacking(conn, org, &newly).await?;
    let deadline = now + org.row.mfa_grace_days.clamp(0, MAX_DAYS) * DAY_MS;
    for user_id in &lacking {
        sesame_store::mfa_grace::start(
            conn,
            &GraceRow {
                user_id: user_id.clone(),
                org_id: org.id().to_string(),
                started_at: now,
                deadline,
            },
        )
        .await?;
    }
    Ok(lacking.len())
}

/// A person's two-factor as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TwoFactorView {
    /// `enabled`; `not_required` (off, and no role requires it); `grace` (required, off, the
    /// deadline to come); `required` (required, off, the deadline passed or none: the next
    /// sign-in leads to enrolment only).
    pub state: String,
    /// Two-factor is on.
    pub enabled: bool,
    /// One of the person's roles requires it.
    pub required: bool,
    /// RFC 3339: until when they may sign in without it (in state `grace`, and `required` when
    /// a deadline passed).
    pub grace_deadline: Option<String>,
    /// Days left before the deadline, a started day counted (state `grace`).
    pub grace_days_left: Option<i64>,
}

/// The state of these people (with `required` said by the caller, who has their roles).
pub async fn views(
    conn: &mut Conn,
    org: &Org,
    people: &[(String, bool)],
    now: i64,
) -> Result<std::collections::HashMap<String, TwoFactorView>> {
    let ids: Vec<String> = people.iter().map(|(id, _)| id.clone()).collect();
    let states: std::collections::HashMap<String, SecondFactorState> =
        sesame_store::mfa_grace::second_factors_of(conn, org.id(), &ids)
            .await?
            .into_iter()
            .map(|s| (s.user_id.clone(), s))
            .collect();
    Ok(people
        .iter()
        .map(|(id, required)| {
            let state = states.get(id);
            let enabled = state.is_some_and(|s| s.enabled);
            let deadline = state
                .and_then(|s| s.grace_deadline)
                .filter(|_| *required && !enabled);
            (id.clone(), view(enabled, *required, deadline, now))
        })
        .collect())
}

fn view(enabled: bool, required: bool, deadline: Option<i64>, now: i64) -> TwoFactorView {
    let state = if enabled {
        "enabled"
    } else if !required {
        "not_required"
    } else if covers(deadline, now) {
        "grace"
    } else {
        "required"
    };
    TwoFactorView {
        state: state.into(),
        enabled,
        required,
        grace_deadline: deadline.map(crate::time::rfc3339),
        grace_days_left: deadline
            .filter(|_| state == "grace")
            .map(|d| days_left(d, now)),
    }
}

/// What the banner of a person in their grace period says: days left and the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banner {
    pub days_left: i64,
    pub deadline: i64,
}

/// The banner owed to the person signed in, if they are required, without two-factor and
/// within their grace period.
pub async fn banner(app: &App, who: &Principal) -> Result<Option<Banner>> {
    let now = sesame_store::now_ms();
    let Some(user_id) = who.user_id() else {
        return Ok(None);
    };
    if who.must_enrol {
        return Ok(None);
    }
    let mut conn = app.store.read().await?;
    let Some(g) = sesame_store::mfa_grace::get(&mut conn, who.org.id(), user_id).await? else {
        return Ok(None);
    };
    if g.deadline <= now
        || !sesame_store::mfa_grace::required_users(&mut conn, who.org.id())
            .await?
            .contains(user_id)
        || two_factor::has_two_factor(&mut conn, &who.org, user_id).await?
    {
        return Ok(None);
    }
    Ok(Some(Banner {
        days_left: days_left(g.deadline, now),
        deadline: g.deadline,
    }))
}

/// How to extend someone's deadline: by a number of days from the later of now and the
/// current deadline, or to the end of a given day (in the organisation's time zone).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendInput {
    /// 1–365 days more, counted from the current deadline (or from now when it has passed).
    pub days: Option<i64>,
    /// `YYYY-MM-DD`: the last day they may sign in without two-factor, in the organisation's
    /// time zone; in the future, at most 365 days away.
    pub until: Option<String>,
}

/// Extends (or gives) the grace period of someone required to use two-factor who has not
/// enrolled. For those who may reset their two-factor (who may disable their account).
pub async fn extend(
    app: &App,
    who: &Principal,
    user_id: &str,
    input: ExtendInput,
    now: i64,
) -> Result<TwoFactorView> {
    who.in_person_if_own(user_id)?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, &who.org, user_id).await?;
    who.actor.may_disable(&target.subject())?;
    let required = target.held.iter().any(|h| h.requires_mfa);
    if !required {
        return Err(Error::Refused(FieldError::new(
            "",
            "mfa.grace_not_required",
        )));
    }
    if two_factor::has_two_factor(&mut work, &who.org, user_id).await? {
        return Err(Error::Refused(FieldError::new("", "mfa.already_enabled")));
    }
    let current = sesame_store::mfa_grace::get(&mut work, who.org.id(), user_id).await?;
    let from = current.as_ref().map_or(now, |g| g.deadline.max(now));
    let deadline = match (input.days, input.until.as_deref().map(str::trim)) {
        (Some(days), None) => {
            if !(1..=MAX_DAYS).contains(&days) {
                return Err(Error::Invalid(vec![
                    FieldError::new("days", "limit.range")
                        .with("min", "1")
                        .with("max", MAX_DAYS.to_string()),
                ]));
            }
            from + days * DAY_MS
        }
        (None, Some(day)) => {
            let end = crate::time::day_bounds(&who.org.zone, day)
                .map(|(_, end)| end)
                .ok_or_else(|| {
                    Error::Invalid(vec![
                        FieldError::new("until", "date.invalid").with("value", day),
                    ])
                })?;
            if end <= now || end > now + MAX_DAYS * DAY_MS {
                return Err(Error::Invalid(vec![
                    FieldError::new("until", "mfa.grace_until_range")
                        .with("max", MAX_DAYS.to_string()),
                ]));
            }
            end
        }
        _ => {
            return Err(Error::Invalid(vec![FieldError::new(
                "days",
                "mfa.grace_days_or_until",
            )]));
        }
    };
    let row = GraceRow {
        user_id: user_id.to_string(),
        org_id: who.org.id().to_string(),
        started_at: current.as_ref().map_or(now, |g| g.started_at),
        deadline,
    };
    sesame_store::mfa_grace::start(&mut work, &row).await?;
    work.record(
        who,
        Change {
            action: "mfa.grace_extend",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&target.row.login),
            before: Some(serde_json::json!({
                "grace_deadline": current.as_ref().map(|g| crate::time::rfc3339(g.deadline)),
            })),
            after: Some(serde_json::json!({
                "grace_deadline": crate::time::rfc3339(deadline),
            })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(view(false, true, Some(deadline), now))
}

/// The reminder stages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// When the grace period starts.
    Start,
    /// Three days before the end.
    Soon,
    /// On the last day.
    Last,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Start => "start",
            Stage::Soon => "soon",
            Stage::Last => "last",
        }
    }

    /// The stage a grace period ending at `deadline` is in at `now` (still running).
    pub fn at(deadline: i64, now: i64) -> Stage {
        let left = deadline - now;
        if left <= DAY_MS {
            Stage::Last
        } else if left <= 3 * DAY_MS {
            Stage::Soon
        } else {
            Stage::Start
        }
    }

    fn kind(self) -> Kind {
        match self {
            Stage::Start => Kind::MfaGraceStarted,
            Stage::Soon => Kind::MfaGraceSoon,
            Stage::Last => Kind::MfaGraceLastDay,
        }
    }
}

/// Queues the reminders owed at `now`, every organisation: for each running grace period of
/// someone still required and without two-factor, the message of the stage it is in, unless
/// already queued (the start once per grace period, the others once per deadline). A period
/// first seen in a later stage (a short one) gets that stage's message only. Answers how many
/// were queued.
pub async fn remind_due(app: &App, now: i64) -> Result<usize> {
    let running = {
        let mut conn = app.store.read().await?;
        sesame_store::mfa_grace::running(&mut conn, now).await?
    };
    let mut queued = 0;
    let mut orgs: std::collections::HashMap<String, Org> = std::collections::HashMap::new();
    for g in running {
        if !orgs.contains_key(&g.org_id) {
            let mut conn = app.store.read().await?;
            let Some(row) = sesame_store::orgs::get(&mut conn, &g.org_id).await? else {
                continue;
            };
            orgs.insert(g.org_id.clone(), Org::from_row(row));
        }
        let org = &orgs[&g.org_id];
        match remind(app, org, &g, now).await {
            Ok(true) => queued += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, user = %g.user_id, "could not queue a two-factor reminder")
            }
        }
    }
    Ok(queued)
}

async fn remind(app: &App, org: &Org, g: &GraceRow, now: i64) -> Result<bool> {
    let stage = Stage::at(g.deadline, now);
    let mut work = Work::begin(app).await?;
    let required = sesame_store::mfa_grace::required_users(&mut work, org.id())
        .await?
        .contains(&g.user_id);
    if !required || two_factor::has_two_factor(&mut work, org, &g.user_id).await? {
        work.rollback().await?;
        return Ok(false);
    }
    // Every stage up to the present one is noted: a later run does not send an earlier one.
    let mut fresh = false;
    for s in [Stage::Start, Stage::Soon, Stage::Last] {
        if s > stage {
            break;
        }
        let due = if s == Stage::Start {
            g.started_at
        } else {
            g.deadline
        };
        let noted =
            sesame_store::mfa_grace::note_reminder(&mut work, &g.user_id, s.code(), due, now)
                .await?;
        if s == stage {
            fresh = noted;
        }
    }
    if !fresh {
        work.rollback().await?;
        return Ok(false);
    }
    let Some(user) = sesame_store::users::get(&mut work, org.id(), &g.user_id).await? else {
        work.rollback().await?;
        return Ok(false);
    };
    let mut letter = Letter::new(stage.kind(), &user);
    letter.deadline = Some(g.deadline);
    letter.count = Some(days_left(g.deadline, now));
    letter.url = Some(format!("{}/account/two-factor", app.mailer.public_url));
    work.queue(org, letter).await?;
    work.commit().await?;
    Ok(true)
}

/// How often the schedule looks for reminders owed.
const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Runs [`remind_due`] at start and every quarter of an hour until `stop` says so. Every
/// instance runs it; each reminder is queued by one (see [`remind_due`]).
pub async fn run_schedule(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    crate::work::every(
        app,
        stop,
        CHECK_EVERY,
        "two-factor reminders",
        |app, now| async move { remind_due(&app, now).await },
    )
    .await
}
