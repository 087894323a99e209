//! Invitations ("Invitations", issue 23): everyone invited and not yet active — when and by
//! whom, when their link expires, the reminders sent, how their last e-mail fared, in plain
//! words — and sending new invitations to the people ticked, to everyone, or to those whose
//! link expired. Linked from the users list, which shows the counts.

use super::{Ctx, FormErrors, Member, Posted};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sesame_app::invitations::{
    self, InvitationPage, InvitationView, InvitationsQuery, ResendInput, ResendReport, STATES,
};
use sesame_app::time::now_ms;

const PER_PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "web/invitations.html")]
struct InvitationsPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    chips: Vec<super::users::StatusChip>,
    found: InvitationPage,
    /// What the last send did, on the page that answers it.
    report: Option<ResendReport>,
    first: Option<String>,
    next: Option<String>,
}

impl InvitationsPage {
    fn state_label(&self, state: &str) -> String {
        state_label(&self.ctx, state)
    }

    fn invited(&self, i: &InvitationView) -> String {
        invited(&self.ctx, i)
    }

    fn link(&self, i: &InvitationView) -> String {
        link_words(&self.ctx, i)
    }

    fn reminders(&self, i: &InvitationView) -> String {
        reminders(&self.ctx, i)
    }

    /// How the last e-mail fared, in words, and the mail server's own answer when it refused.
    fn delivery(&self, i: &InvitationView) -> (String, Option<String>) {
        let Some(d) = &i.delivery else {
            return (String::new(), None);
        };
        let ctx = &self.ctx;
        let words = match d.state.as_str() {
            "sent" => ctx.t1(
                "web-invitation-delivery-sent",
                "date",
                &d.sent_at
                    .as_deref()
                    .map(|a| ctx.when(a))
                    .unwrap_or_default(),
            ),
            "retrying" => ctx.t1(
                "web-invitation-delivery-retrying",
                "date",
                &d.next_attempt_at
                    .as_deref()
                    .map(|a| ctx.when(a))
                    .unwrap_or_default(),
            ),
            "failed" => ctx.t("web-invitation-delivery-failed"),
            _ => ctx.t("web-invitation-delivery-queued"),
        };
        let answer = d
            .error
            .as_deref()
            .map(|e| ctx.t1("web-email-server-said", "answer", &e));
        (words, answer)
    }

    fn reminder_setting(&self) -> String {
        if self.found.reminder_days.is_empty() {
            self.ctx.t("web-invitations-reminders-off")
        } else {
            let days: Vec<String> = self
                .found
                .reminder_days
                .iter()
                .map(i64::to_string)
                .collect();
            self.ctx
                .t1("web-invitations-reminders-on", "list", &days.join(", "))
        }
    }
}

fn state_label(ctx: &Ctx, state: &str) -> String {
    ctx.t(&format!("web-invitation-state-{}", state.replace('_', "-")))
}

/// When and by whom.
fn invited(ctx: &Ctx, i: &InvitationView) -> String {
    match (&i.invited_at, &i.invited_by) {
        (None, _) => ctx.t("web-invitation-never-sent"),
        (Some(at), Some(by)) => sesame_app::i18n::message(
            ctx.lang,
            "web-invitation-invited-by",
            &[("date", ctx.when(at)), ("name", by.name.clone())],
        ),
        (Some(at), None) => ctx.t1("web-invitation-invited-at", "date", &ctx.when(at)),
    }
}

/// Until when the link works, or since when it no longer does.
fn link_words(ctx: &Ctx, i: &InvitationView) -> String {
    match (&i.link_expires_at, i.state.as_str()) {
        (Some(at), "expired") => ctx.t1("web-invitation-expired-on", "date", &ctx.when(at)),
        (Some(at), _) => ctx.t1("web-invitation-expires-on", "date", &ctx.when(at)),
        (None, _) => String::new(),
    }
}

fn reminders(ctx: &Ctx, i: &InvitationView) -> String {
    let sent = ctx.t1("web-invitation-reminders-sent", "count", &i.reminders_sent);
    match &i.next_reminder_at {
        Some(at) => format!(
            "{sent} {}",
            ctx.t1("web-invitation-next-reminder", "date", &ctx.day(at))
        ),
        None => sent,
    }
}

/// One person's invitation in a sentence or two, for their page: its state, when and by whom,
/// its link, its reminders.
pub(crate) fn summary(ctx: &Ctx, i: &InvitationView) -> String {
    [
        ctx.t1(
            "web-access-invitation",
            "state",
            &state_label(ctx, &i.state).to_lowercase(),
        ),
        format!("{}.", invited(ctx, i)),
        match link_words(ctx, i) {
            l if l.is_empty() => String::new(),
            l => format!("{l}."),
        },
        reminders(ctx, i),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// `?state=` and `?cursor=` of the page.
fn query_of(ctx: &Ctx) -> (String, String) {
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let get = |k: &str| super::query_value(query.as_deref(), k).unwrap_or_default();
    (get("state"), get("cursor"))
}

fn link(state: &str, cursor: &str) -> String {
    let kept: Vec<(&str, &str)> = [("state", state), ("cursor", cursor)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    match serde_urlencoded::to_string(kept).unwrap_or_default() {
        q if q.is_empty() => "/invitations".into(),
        q => format!("/invitations?{q}"),
    }
}

async fn page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    report: Option<ResendReport>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let (state, cursor) = query_of(&ctx);
    let q = InvitationsQuery {
        state: Some(state.clone()),
        limit: Some(PER_PAGE),
        cursor: Some(cursor.clone()),
    };
    let now = now_ms();
    let (found, errors, status, state) = match invitations::list(&s.app, who, &q, now).await {
        Ok(found) => (found, errors, status, state),
        Err(e @ sesame_app::Error::Invalid(_)) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            let plain = InvitationsQuery {
                limit: Some(PER_PAGE),
                ..Default::default()
            };
            match invitations::list(&s.app, who, &plain, now).await {
                Ok(found) => (found, errors, api.status, String::new()),
                Err(e) => return super::failed(&ctx, e),
            }
        }
        Err(e) => return super::failed(&ctx, e),
    };
    let c = found.counts;
    let chips = std::iter::once(("", c.all()))
        .chain(
            STATES
                .iter()
                .zip([c.pending, c.expired, c.failed, c.not_sent])
                .map(|(s, n)| (*s, n)),
        )
        .map(|(code, n)| super::users::StatusChip {
            label: format!(
                "{} ({n})",
                match code {
                    "" => ctx.t("web-status-all"),
                    s => ctx.t(&format!("web-invitation-state-{}", s.replace('_', "-"))),
                }
            ),
            href: link(code, ""),
            current: state == code,
        })
        .collect();
    let page = InvitationsPage {
        title: ctx.t("web-invitations-title"),
        errors,
        chips,
        first: (!cursor.is_empty()).then(|| link(&state, "")),
        next: found.next_cursor.as_deref().map(|c| link(&state, c)),
        found,
        report,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    page(&s, ctx, &who, None, FormErrors::default(), StatusCode::OK).await
}

/// Sends new invitations: to the people ticked (`id`), or to everyone (`select=all`) or those
/// whose link expired (`select=expired`); the page answers with what was sent and skipped.
pub(crate) async fn resend(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    if let Err(e) = who.actor.may_follow_invitations() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let select = super::field(&form, "select").to_string();
    let input = match select.as_str() {
        "" | "ids" => ResendInput {
            ids: Some(form.get("id").cloned().unwrap_or_default()),
            select: None,
        },
        other => ResendInput {
            ids: None,
            select: Some(other.to_string()),
        },
    };
    if input.ids.as_ref().is_some_and(Vec::is_empty) {
        let e = sesame_core::FieldError::new("id", "web.invitations_none_ticked");
        let errors = ctx.errors(&[e]);
        return page(
            &s,
            ctx,
            &who,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match invitations::resend(&s.app, &who, input, now_ms()).await {
        Ok(report) => {
            page(
                &s,
                ctx,
                &who,
                Some(report),
                FormErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let api = ApiError::from(e);
            if api.status == StatusCode::UNPROCESSABLE_ENTITY {
                let errors = ctx.errors(&api.errors);
                return page(&s, ctx, &who, None, errors, api.status).await;
            }
            super::failed_api(&ctx, api)
        }
    }
}
