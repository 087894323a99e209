//! E-mail signatures ("Signature courriel"), for people holding the `email.signature`
//! permission: plain text, or minimal HTML cleaned on the way in with a tight allow-list (p, br,
//! b, strong, i, em, u, and links to http, https or mailto). What is stored is already clean;
//! the mail sender gets it as plain text and as safe HTML through [`for_message`].

use crate::audit::{Change, record};
use crate::mail::{Kind, Letter};
use crate::{App, Error, InPerson, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_core::policy::users::has_signature;
use sesame_store::{Conn, now_ms};
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

/// A signature for the end of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSignature {
    pub text: String,
    pub html: String,
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
    let user = who.user.as_ref().ok_or(Error::NotFound("user"))?;
    let mut conn = app.store.read().await?;
    let stored = sesame_store::signatures::get(&mut conn, who.org.id(), &user.id).await?;
    Ok(view(stored.as_deref().unwrap_or("")))
}

/// Another person's signature, for those who may see that person: `None` when they do not
/// hold the signature permission (they have no signature to show, whatever is stored).
pub async fn of_user(app: &App, who: &Principal, user_id: &str) -> Result<Option<SignatureView>> {
    let mut conn = app.store.read().await?;
    let target = crate::users::load_target(&mut conn, &who.org, user_id).await?;
    who.actor.may_view(&target.subject())?;
    if !has_signature(&target.grants) {
        return Ok(None);
    }
    let stored = sesame_store::signatures::get(&mut conn, who.org.id(), &target.row.id).await?;
    Ok(Some(view(stored.as_deref().unwrap_or(""))))
}

/// Sets one's own signature (an empty one removes it).
pub async fn set(app: &App, who: &InPerson, input: SignatureInput) -> Result<SignatureView> {
    let user_id = who.user.as_ref().ok_or(Error::NotFound("user"))?.id.clone();
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
    let mut tx = app.store.begin().await?;
    let target = crate::users::load_target(&mut tx, &who.org, user_id).await?;
    let allowed = who.actor.may_keep_signature_of(&target.subject())?;
    let stored = clean(&input.signature)?;
    let user = &target.row;
    let before = sesame_store::signatures::get(&mut tx, who.org.id(), &user.id)
        .await?
        .unwrap_or_default();
    let mut told = false;
    if before != stored {
        sesame_store::signatures::set(&mut tx, &allowed, &stored, now_ms()).await?;
        record(
            &mut tx,
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
            let letter = Letter::new(Kind::SignatureChanged, user).by(who.user.as_ref());
            told = crate::mail::queue(&mut tx, &who.org, letter)
                .await?
                .is_some();
        }
    }
    tx.commit().await.map_err(sesame_store::StoreError::from)?;
    if told {
        app.mailer.wake();
    }
    Ok(view(&stored))
}

/// The signature that closes the messages `user_id` triggers: `None` when they have none or no
/// longer hold the signature permission.
pub async fn for_message(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
) -> Result<Option<MailSignature>> {
    let Some(stored) = sesame_store::signatures::get(conn, org_id, user_id).await? else {
        return Ok(None);
    };
    let held = sesame_store::roles::held_by(conn, org_id, &[user_id.to_string()]).await?;
    Ok(has_signature(&crate::grants_of(&held)).then(|| render(&stored)))
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

/// Whether the text holds markup (`<` before a letter, `/` or `!`): else it is plain text, and
/// `<` or `&` are only characters.
fn is_html(s: &str) -> bool {
    s.match_indices('<').any(|(i, _)| {
        s[i + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
    })
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

/// A stored signature as plain text and as HTML.
pub fn render(stored: &str) -> MailSignature {
    if stored.is_empty() {
        MailSignature {
            text: String::new(),
            html: String::new(),
        }
    } else if is_html(stored) {
        MailSignature {
            text: html_to_text(stored),
            html: stored.to_string(),
        }
    } else {
        MailSignature {
            text: stored.to_string(),
            html: crate::mail::escape(stored).replace('\n', "<br>\n"),
        }
    }
}

/// Decodes the character references the sanitiser writes (and numeric ones).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Clean HTML as plain text: tags dropped, `<br>` and paragraphs as line breaks, a link as
/// "text (address)" when the text does not already say the address. Written here: the input
/// is ammonia's output over a six-tag allow-list, which a general HTML-to-text crate (and its
/// HTML parser) would be far too much for.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    // The open link: its address and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&unescape(&rest[..i]));
        rest = &rest[i..];
        // The end of the tag, outside quoted attribute values.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(j, _)| j);
        let tag = &rest[1..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            ("p", false) if !out.is_empty() && !out.ends_with("\n\n") => {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" })
            }
            ("p", true) => out.push('\n'),
            ("a", false) => {
                let href = tag
                    .split_once("href=\"")
                    .and_then(|(_, v)| v.split_once('"'))
                    .map(|(v, _)| unescape(v))
                    .unwrap_or_default();
                link = Some((href, out.len()));
            }
            ("a", true) => {
                if let Some((href, start)) = link.take() {
                    let text = out[start..].trim().to_string();
                    let shown = href.strip_prefix("mailto:").unwrap_or(&href);
                    if !href.is_empty() && text != href && text != shown {
                        out.push_str(&format!(" ({shown})"));
                    }
                }
            }
            _ => {}
        }
    }
    out.push_str(&unescape(rest));
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut text = lines.join("\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_string()
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
    fn html_becomes_text_with_line_breaks_and_decoded_characters() {
        let m = render(
            "<p>Zoé L&amp;F<br>Coordinatrice&nbsp;AMAP</p><p><a href=\"mailto:zoe@example.org\">zoe@example.org</a></p>",
        );
        assert_eq!(
            m.text,
            "Zoé L&F\nCoordinatrice\u{a0}AMAP\n\nzoe@example.org"
        );
        assert_eq!(unescape("&#233;&#xE9;&bogus; & &amp"), "éé&bogus; & &amp");
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
