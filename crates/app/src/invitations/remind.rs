//! Automatic reminders of invitations not yet accepted (issue 23).
//!
//! The organisation chooses the days after an invitation when a reminder goes
//! (`invitation_reminder_days`, 3 and 7 by default; none turns them off). Each reminder is an
//! invitation e-mail with a fresh link (the one before stops working), in the person's
//! language; none once they are active; never two on the same day (in the organisation's time
//! zone). Days count from the last invitation someone sent (a new one starts the count again);
//! a reminder not queued within [`LATE_MS`] of its day (the server was stopped) is skipped, so
//! that a server started again does not write to everyone at once.
//!
//! [`remind_due`] is run by a schedule every instance runs; a row in `invitation_reminders`,
//! inserted in the same transaction as the message and unique per person, round and stage as
//! well as per person and day, decides which instance queues it.

use crate::grace::DAY_MS;
use crate::mail::{Kind, Letter};
use crate::work::Work;
use crate::{App, Org, Result};
use sesame_core::{FieldError, Status};
use sesame_store::invitations::RoundRow;

/// The latest day a reminder may be set to.
pub const MAX_DAY: i64 = 60;
/// The most reminders per invitation.
pub const MAX_REMINDERS: usize = 5;
/// How late a reminder may still go after its day began.
pub const LATE_MS: i64 = 2 * DAY_MS;

/// The organisation's reminder days, in increasing order (empty: none).
pub fn days_of(org: &Org) -> Vec<i64> {
    parse_stored(&org.row.invitation_reminder_days)
}

fn parse_stored(stored: &str) -> Vec<i64> {
    stored
        .split(',')
        .filter_map(|d| d.trim().parse::<i64>().ok())
        .collect()
}

/// Checks the days asked for the setting (`field` names it in errors) and gives them as
/// stored: whole days from 1 to [`MAX_DAY`], each once, at most [`MAX_REMINDERS`]; `[]`
/// turns reminders off. Given in any order, stored in increasing order.
pub fn check_days(field: &str, days: &[i64]) -> std::result::Result<String, FieldError> {
    if days.len() > MAX_REMINDERS {
        return Err(FieldError::new(field, "invitation.reminders_too_many")
            .with("max", MAX_REMINDERS.to_string()));
    }
    if let Some(d) = days.iter().find(|d| !(1..=MAX_DAY).contains(*d)) {
        return Err(FieldError::new(field, "invitation.reminder_day_range")
            .with("value", d.to_string())
            .with("max", MAX_DAY.to_string()));
    }
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(
            FieldError::new(field, "invitation.reminder_day_twice").with("value", w[0].to_string())
        );
    }
    Ok(sorted
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(","))
}

/// Reads the days as a person types them in the settings form: numbers separated by commas,
/// spaces or semicolons (`3, 7`); empty for none.
pub fn parse_typed(field: &str, typed: &str) -> std::result::Result<Vec<i64>, FieldError> {
    typed
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<i64>().map_err(|_| {
                FieldError::new(field, "invitation.reminder_day_range")
                    .with("value", p)
                    .with("max", MAX_DAY.to_string())
            })
        })
        .collect()
}

/// The stage due at `now` in a round that started at `round_at`: the index of the latest day
/// reached, unless it is more than [`LATE_MS`] late.
fn due_stage(days: &[i64], round_at: i64, now: i64) -> Option<usize> {
    let stage = days.iter().rposition(|d| round_at + d * DAY_MS <= now)?;
    (now < round_at + days[stage] * DAY_MS + LATE_MS).then_some(stage)
}

/// When the next reminder is due, for an invitation whose round started at `round_at` and
/// reminded up to `stage` so far: the first later day not yet too late (it may be due now,
/// waiting for the schedule's next run).
pub fn next_due(days: &[i64], round_at: i64, stage: Option<i64>, now: i64) -> Option<i64> {
    let from = stage.map_or(0, |s| usize::try_from(s + 1).unwrap_or(usize::MAX));
    days.iter()
        .skip(from)
        .map(|d| round_at + d * DAY_MS)
        .find(|at| at + LATE_MS > now)
}

/// Queues the reminders owed at `now`, every organisation; answers how many.
pub async fn remind_due(app: &App, now: i64) -> Result<usize> {
    let orgs = {
        let mut conn = app.store.read().await?;
        sesame_store::orgs::list(&mut conn).await?
    };
    let mut queued = 0;
    for org in orgs.into_iter().map(Org::from_row) {
        // Only the invitations one of the organisation's days has reached lately are read:
        // a few people per run, however many wait.
        let mut seen = std::collections::HashSet::new();
        for d in days_of(&org) {
            let rounds = {
                let mut conn = app.store.read().await?;
                let reached = now - d * DAY_MS;
                sesame_store::invitations::rounds_between(
                    &mut conn,
                    org.id(),
                    reached - LATE_MS,
                    reached,
                )
                .await?
            };
            for r in rounds {
                if !seen.insert(r.user_id.clone()) || stage_owed(&org, &r, now).is_none() {
                    continue;
                }
                match remind(app, &org, &r.user_id, now).await {
                    Ok(true) => queued += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, user = %r.user_id, "could not queue an invitation reminder")
                    }
                }
            }
        }
    }
    Ok(queued)
}

/// The stage owed to this invitation at `now`, if any: its day is reached, its last message
/// left (a refused address is not written to again), and nothing went to the person today.
fn stage_owed(org: &Org, r: &RoundRow, now: i64) -> Option<usize> {
    let stage = due_stage(&days_of(org), r.round_at, now)?;
    if r.message_state.as_deref() != Some("sent") {
        return None;
    }
    let today = crate::time::day_code(&org.zone, now);
    (crate::time::day_code(&org.zone, r.last_at) != today).then_some(stage)
}

async fn remind(app: &App, org: &Org, user_id: &str, now: i64) -> Result<bool> {
    let mut work = Work::begin(app).await?;
    // Read again inside the transaction: another instance, an activation, a new invitation.
    let Some(round) = sesame_store::invitations::round_of(&mut work, user_id).await? else {
        return Ok(false);
    };
    let Some(stage) = stage_owed(org, &round, now) else {
        work.rollback().await?;
        return Ok(false);
    };
    let user = match sesame_store::users::get(&mut work, org.id(), user_id).await? {
        Some(u) if u.status == Status::Invited && u.email.is_some() => u,
        _ => {
            work.rollback().await?;
            return Ok(false);
        }
    };
    let reached = sesame_store::invitations::last_stage(&mut work, user_id, round.round_at).await?;
    if reached.is_some_and(|s| s >= stage as i64) {
        work.rollback().await?;
        return Ok(false);
    }
    let today = crate::time::day_code(&org.zone, now);
    if !sesame_store::invitations::note_reminder(
        &mut work,
        user_id,
        round.round_at,
        stage as i64,
        &today,
        now,
    )
    .await?
    {
        work.rollback().await?;
        return Ok(false);
    }
    // Signed by whoever invited them, as the invitation was, while they are still there.
    let inviter = match &round.invited_by {
        Some(by) => sesame_store::users::get(&mut work, org.id(), by)
            .await?
            .filter(|u| u.status == Status::Active)
            .map(|u| crate::Person::from(&u)),
        None => None,
    };
    let mut letter = Letter::new(Kind::InvitationReminder, &user).by(inviter.as_ref());
    letter.count = Some(((now - round.first_at) / DAY_MS).max(1));
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
        "invitation reminders",
        |app, now| async move { remind_due(&app, now).await },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_due_is_the_latest_day_reached_unless_long_past() {
        let days = [3, 7];
        assert_eq!(due_stage(&days, 0, 2 * DAY_MS), None);
        assert_eq!(due_stage(&days, 0, 3 * DAY_MS), Some(0));
        assert_eq!(due_stage(&days, 0, 6 * DAY_MS), None, "three days late");
        assert_eq!(due_stage(&days, 0, 7 * DAY_MS + 1), Some(1));
        assert_eq!(due_stage(&days, 0, 9 * DAY_MS), None);
        assert_eq!(due_stage(&[], 0, 3 * DAY_MS), None);
    }

    #[test]
    fn the_setting_takes_whole_days_each_once() {
        assert_eq!(check_days("d", &[7, 3]).unwrap(), "3,7");
        assert_eq!(check_days("d", &[]).unwrap(), "");
        assert_eq!(
            check_days("d", &[0]).unwrap_err().code,
            "invitation.reminder_day_range"
        );
        assert_eq!(
            check_days("d", &[61]).unwrap_err().code,
            "invitation.reminder_day_range"
        );
        assert_eq!(
            check_days("d", &[3, 3]).unwrap_err().code,
            "invitation.reminder_day_twice"
        );
        assert_eq!(
            check_days("d", &[1, 2, 3, 4, 5, 6]).unwrap_err().code,
            "invitation.reminders_too_many"
        );
        assert_eq!(parse_typed("d", " 3, 7 ").unwrap(), vec![3, 7]);
        assert_eq!(parse_typed("d", "").unwrap(), Vec::<i64>::new());
        assert!(parse_typed("d", "trois").is_err());
        assert_eq!(parse_stored("3,7"), vec![3, 7]);
        assert!(parse_stored("").is_empty());
    }
}
