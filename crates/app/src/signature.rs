//! E-mail signatures ("Signature courriel"), for people holding the `email.signature`
//! permission: plain text, or minimal HTML cleaned on the way in with a tight allow-list (p, br,
//! b, strong, i, em, u, and links to http, https or mailto). What is stored is already clean;
//! the mail sender gets it as plain text and as safe HTML through
//! [`crate::mail::signature::for_message`].

use crate::audit::Change;
use crate::mail::signature::is_html;
pub use crate::mail::signature::{MailSignature, for_message, render};
use crate::mail::{Kind, Letter};
use crate::work::Work;
use crate::{App, Error, InPerson, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_core::policy::users::has_signature;
use sesame_store::now_ms;
use std::collections::{HashMap, HashSet};

/// Longest signature accepted, in characters as typed.
pub const MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignatureView {
    /// As written (HTML already cleaned); empty when there is none.
    pub signature: String,
    /// As it closes an HTML e-mail.
    pub html: String,
    /// As it closes a plain-text e-mail.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// Plain text, or HTML limited to p, br, b, strong, i, em, u and a (http, https, mailto
    /// links); anything else is removed, a script with its content. At most 2000 characters;
    /// empty to remove the signature.
    pub signature: String,
}

fn view(stored: &str) -> SignatureView {
    let MailSignature { text, html } = render(stored);
    SignatureView {
        signature: stored.to_string(),
        html,
        text,
    }
}

/// One's own signature.
pub async fn mine(app: &App, who: &InPerson) -> Result<SignatureView> {
    who.actor.may_keep_signature()?;
    let user_id = who.user_id().ok_or(Error::NotFound("user"))?;
    let mut conn = app.store.read().await?;
    let stored = sesame_store::signatures::get(&mut conn, who.org.id(), user_id).await?;
    Ok(view(stored.as_deref().unwrap_or("")))
}

/// Another person's signature, for those who may see that person: `None` when they do not
/// hold the signature permission (they have no signature to show, whatever is stored).
pub async fn of_user(app: &App, who: &Principal, user_id: &str) -> Result<Option<SignatureView>> {
    let mut conn = app.store.read().await?;
    let target = crate::target::load_target(&mut conn, &who.org, user_id).await?;
    who.actor.may_view(&target.subject())?;
    if !has_signature(&target.grants) {
        return Ok(None);
    }
    let stored = sesame_store::signatures::get(&mut conn, who.org.id(), &target.row.id).await?;
    Ok(Some(view(stored.as_deref().unwrap_or(""))))
}

/// Sets one's own signature (an empty one removes it).
pub async fn set(app: &App, who: &InPerson, input: SignatureInput) -> Result<SignatureView> {
    let user_id = who.user_id().ok_or(Error::NotFound("user"))?.to_string();
    set_for(app, who, &user_id, input).await
}

/// Sets the signature of `user_id` (an empty one removes it): one's own (in person), or, for
/// whoever may edit them, that of someone whose roles allow a signature
/// ([`sesame_core::policy::Actor::may_keep_signature_of`]). A change made by someone else is
/// audited under their name and the person is told by e-mail, in their language.
pub async fn set_for(
    app: &App,
    who: &Principal,
    user_id: &str,
    input: SignatureInput,
) -> Result<SignatureView> {
    who.in_person_if_own(user_id)?;
    let mut work = Work::begin(app).await?;
    let target = crate::target::load_target(&mut work, &who.org, user_id).await?;
    let allowed = who.actor.may_keep_signature_of(&target.subject())?;
    let stored = clean(&input.signature)?;
    let user = &target.row;
    let before = sesame_store::signatures::get(&mut work, who.org.id(), &user.id)
        .await?
        .unwrap_or_default();
    if before != stored {
        sesame_store::signatures::set(&mut work, &allowed, &stored, now_ms()).await?;
        work.record(
            who,
            Change {
                action: "signature.update",
                target_type: "user",
                target_id: Some(&user.id),
                target_label: Some(&user.login),
                before: Some(serde_json::json!({"signature": excerpt(&before)})),
                after: Some(serde_json::json!({"signature": excerpt(&stored)})),
            },
        )
        .await?;
        if who.user_id() != Some(user.id.as_str()) {
            let letter = Letter::new(Kind::SignatureChanged, user).by(who.person());
            work.queue(&who.org, letter).await?;
        }
    }
    work.commit().await?;
    Ok(view(&stored))
}

/// The audit log keeps the start of a signature only: enough to recognise it.
fn excerpt(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        flat.chars().take(60).collect::<String>() + "…"
    } else {
        flat
    }
}

fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from([
        "p", "br", "b", "strong", "i", "em", "u", "a",
    ]))
    .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
    .generic_attributes(HashSet::new())
    .url_schemes(HashSet::from(["http", "https", "mailto"]))
    .url_relative(ammonia::UrlRelative::Deny)
    .link_rel(Some("noopener noreferrer"))
    .clean_content_tags(HashSet::from(["script", "style"]))
    .strip_comments(true);
    b
}

/// What is stored: plain text as written, or HTML cleaned; line ends as `\n`, trimmed.
pub fn clean(raw: &str) -> Result<String> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    let length = text.chars().count();
    if length > MAX_CHARS {
        return Err(Error::Invalid(vec![
            FieldError::new("signature", "signature.too_long")
                .with("max", MAX_CHARS.to_string())
                .with("length", length.to_string()),
        ]));
    }
    if is_html(text) {
        Ok(sanitiser().clean(text).to_string().trim().to_string())
    } else {
        Ok(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_allowed_markup_and_drops_the_rest() {
        let s = clean(
            "<p>Marie <b>Dupont</b><script>alert('x')</script></p>\
             <p><a href=\"javascript:alert(1)\">piège</a> <a href=\"https://amap.example/?a=1&b=2\" onclick=\"x()\">site</a>\
             <img src=x onerror=alert(1)><em style=\"color:red\">merci</em></p>",
        )
        .unwrap();
        assert!(!s.contains("script") && !s.contains("alert"), "{s}");
        assert!(
            !s.contains("javascript") && !s.contains("onclick") && !s.contains("img"),
            "{s}"
        );
        assert!(!s.contains("style"), "{s}");
        assert!(
            s.contains("<b>Dupont</b>") && s.contains("<em>merci</em>"),
            "{s}"
        );
        assert!(
            s.contains(
                "<a href=\"https://amap.example/?a=1&amp;b=2\" rel=\"noopener noreferrer\">site</a>"
            ),
            "{s}"
        );
        let m = render(&s);
        assert_eq!(
            m.text,
            "Marie Dupont\n\npiège site (https://amap.example/?a=1&b=2)merci"
        );
    }

    #[test]
    fn plain_text_is_escaped_for_html() {
        let s = clean("  Marie & Paul\r\nFerme \"Les Lilas\" — 5 < 6  ").unwrap();
        assert_eq!(s, "Marie & Paul\nFerme \"Les Lilas\" — 5 < 6");
        let m = render(&s);
        assert_eq!(m.text, s);
        assert_eq!(
            m.html,
            "Marie &amp; Paul<br>\nFerme &quot;Les Lilas&quot; — 5 &lt; 6"
        );
    }

    #[test]
    fn refuses_too_long_a_signature() {
        let e = clean(&"a".repeat(MAX_CHARS + 1)).unwrap_err();
        assert_eq!(e.field_errors()[0].code, "signature.too_long");
        assert_eq!(e.field_errors()[0].field, "signature");
        assert!(clean(&"a".repeat(MAX_CHARS)).is_ok());
        assert_eq!(clean("  ").unwrap(), "");
    }
}
