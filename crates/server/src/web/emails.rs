//! E-mails ("Courriels"): the outbox as those who change the organisation's settings see it —
//! each message's recipient, kind, state and, when it failed, why in plain words — and sending
//! one again. What a message said is not kept (its link is minted when it leaves).

use super::{Ctx, FormErrors, Member, Posted};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::outbox::{self, OutboxMessage, OutboxQuery};

const PER_PAGE: i64 = 50;
const STATES: [&str; 3] = ["queued", "sent", "failed"];

#[derive(Template)]
#[template(path = "web/emails.html")]
struct EmailsPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    chips: Vec<super::users::StatusChip>,
    messages: Vec<OutboxMessage>,
    /// Addresses at the per-recipient limit.
    limited: Vec<sesame_app::mail::limit::LimitedRecipient>,
    newest: Option<String>,
    older: Option<String>,
}

impl EmailsPage {
    fn kind_label(&self, kind: &str) -> String {
        self.ctx.t_or(&format!("web-email-kind-{kind}"), kind)
    }

    fn state_label(&self, state: &str) -> String {
        self.ctx.t(&format!("web-email-state-{state}"))
    }

    /// The sentence `id` of a time, said as a day and minute.
    fn dated(&self, id: &str, at: &str) -> String {
        self.ctx.t1(id, "at", &self.ctx.when(at))
    }

    /// An address at the limit, and when it may be written to again.
    fn limited_row(&self, l: &sesame_app::mail::limit::LimitedRecipient) -> String {
        sesame_app::i18n::message(
            self.ctx.lang,
            "web-emails-limited-row",
            &[
                ("address", l.recipient.clone()),
                ("count", l.sent.to_string()),
                ("at", self.ctx.when(&l.retry_at)),
            ],
        )
    }

    /// Why a message did not leave, in words: the server's answer is only the detail.
    fn reason(&self, m: &OutboxMessage) -> String {
        let Some(e) = m.last_error.as_deref() else {
            return String::new();
        };
        let lower = e.to_lowercase();
        let id = if lower.contains("activated their account") {
            "web-email-reason-activated"
        } else if lower.contains("deleted") || lower.contains("disabled") {
            "web-email-reason-account"
        } else if lower.starts_with("refused") {
            "web-email-reason-refused"
        } else if [
            "connect",
            "refused",
            "timed out",
            "timeout",
            "dns",
            "resolve",
        ]
        .iter()
        .any(|w| lower.contains(w))
        {
            "web-email-reason-unreachable"
        } else {
            "web-email-reason-later"
        };
        self.ctx.t(id)
    }
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
        q if q.is_empty() => "/emails".into(),
        q => format!("/emails?{q}"),
    }
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    let (state, cursor) = query_of(&ctx);
    let q = OutboxQuery {
        state: Some(state.clone()),
        limit: Some(PER_PAGE),
        cursor: Some(cursor.clone()),
    };
    let (found, errors, status, state) = match outbox::list(&s.app, &who, &q).await {
        Ok(found) => (found, FormErrors::default(), StatusCode::OK, state),
        Err(e @ sesame_app::Error::Invalid(_)) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            // Every message, without the filter that names nothing.
            let plain = OutboxQuery {
                limit: Some(PER_PAGE),
                ..Default::default()
            };
            match outbox::list(&s.app, &who, &plain).await {
                Ok(found) => (found, errors, api.status, String::new()),
                Err(e) => return super::failed(&ctx, e),
            }
        }
        Err(e) => return super::failed(&ctx, e),
    };
    let chips = std::iter::once(("", "web-email-all"))
        .chain(STATES.iter().map(|s| (*s, "")))
        .map(|(code, label)| super::users::StatusChip {
            label: match label {
                "" => ctx.t(&format!("web-email-state-{code}")),
                l => ctx.t(l),
            },
            href: link(code, ""),
            current: state == code,
        })
        .collect();
    let page = EmailsPage {
        title: ctx.t("web-emails-title"),
        errors,
        chips,
        newest: (!cursor.is_empty()).then(|| link(&state, "")),
        older: found.next_cursor.as_deref().map(|c| link(&state, c)),
        messages: found.items,
        limited: found.limited,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

/// Sends a message again: it goes back in the queue (a message with a link gets a new one).
pub(crate) async fn resend(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(_): Posted,
) -> Response {
    match outbox::resend(&s.app, &who, &id).await {
        Ok(_) => Redirect::to("/emails?done=email-resent").into_response(),
        Err(e) => super::failed(&ctx, e),
    }
}
