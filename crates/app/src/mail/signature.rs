//! A stored signature as it closes a message: read with the roles that allow it, and rendered
//! as plain text and as HTML. Here, under `mail`, so that queueing a message needs nothing from
//! the module that edits signatures ([`crate::signature`]), which queues mail itself.

use crate::Result;
use sesame_core::policy::users::has_signature;
use sesame_store::Conn;

/// A signature for the end of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSignature {
    pub text: String,
    pub html: String,
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

/// Whether the text holds markup (`<` before a letter, `/` or `!`): else it is plain text, and
/// `<` or `&` are only characters.
pub(crate) fn is_html(s: &str) -> bool {
    s.match_indices('<').any(|(i, _)| {
        s[i + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
    })
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
            html: super::escape(stored).replace('\n', "<br>\n"),
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
}
