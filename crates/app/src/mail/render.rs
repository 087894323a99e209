//! The words of each message, in the recipient's language, as plain text and as HTML. Every
//! sentence comes from the Fluent catalogues (`mail-…` ids); this module only arranges them.
//!
//! The HTML is a handful of paragraphs, so it is written here with an escaping function rather
//! than a template engine: each value is escaped where it is put in.

use super::{Kind, Params};
use crate::i18n::message;
use sesame_core::{Language, Zone};

/// A message's subject and bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A link in a message, with when it stops working.
#[derive(Debug, Clone)]
pub struct Link {
    pub url: String,
    pub lifetime_ms: i64,
    pub expires_at: i64,
}

/// One block of a message.
enum Block {
    Para(String),
    /// A button (HTML) or a line with the address (text).
    Action {
        label: String,
        url: String,
    },
}

/// `kind` for `p`'s person in `lang`, its dates in the organisation's `zone`.
pub fn render(
    kind: Kind,
    lang: Language,
    zone: &Zone,
    p: &Params,
    link: Option<&Link>,
) -> Rendered {
    let t = |code: &str, args: &[(&str, String)]| message(lang, code, args);
    let org = ("org", p.org_name.clone());
    let login = ("login", p.login.clone());
    let actor = (
        "actor",
        p.actor.clone().unwrap_or_else(|| t("mail.operator", &[])),
    );
    let new_email = ("new_email", p.new_email.clone().unwrap_or_default());
    let member = ("member", p.member.clone().unwrap_or_default());
    let device = ("device", p.device.clone().unwrap_or_default());
    let mut blocks = vec![Block::Para(t("mail.greeting", &[("name", p.name.clone())]))];
    let by_someone = p.actor.is_some();
    let (subject, intro, action, outro): (String, Vec<String>, Option<&str>, &str) = match kind {
        Kind::Invitation => (
            t("mail.invitation.subject", std::slice::from_ref(&org)),
            vec![
                if by_someone {
                    t("mail.invitation.intro_by", &[actor.clone(), org.clone()])
                } else {
                    t("mail.invitation.intro", std::slice::from_ref(&org))
                },
                t("mail.invitation.login", std::slice::from_ref(&login)),
            ],
            Some("mail.invitation.action"),
            "mail.ignore",
        ),
        Kind::InvitationReminder => (
            t(
                "mail.invitation_reminder.subject",
                std::slice::from_ref(&org),
            ),
            vec![
                {
                    let days = ("days", p.count.unwrap_or_default().to_string());
                    if by_someone {
                        t(
                            "mail.invitation_reminder.intro_by",
                            &[actor.clone(), org.clone(), days],
                        )
                    } else {
                        t("mail.invitation_reminder.intro", &[org.clone(), days])
                    }
                },
                t("mail.invitation.login", std::slice::from_ref(&login)),
            ],
            Some("mail.invitation.action"),
            "mail.invitation_reminder.why",
        ),
        Kind::PasswordReset => (
            t("mail.password_reset.subject", std::slice::from_ref(&org)),
            vec![if by_someone {
                t(
                    "mail.password_reset.intro_by",
                    &[actor.clone(), login.clone(), org.clone()],
                )
            } else {
                t("mail.password_reset.intro", &[login.clone(), org.clone()])
            }],
            Some("mail.password_reset.action"),
            "mail.ignore",
        ),
        Kind::PasswordChanged => (
            t("mail.password_changed.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.password_changed.intro",
                &[login.clone(), org.clone()],
            )],
            None,
            "mail.not_you",
        ),
        Kind::MfaEnabled => (
            t("mail.mfa_enabled.subject", std::slice::from_ref(&org)),
            vec![t("mail.mfa_enabled.intro", &[login.clone(), org.clone()])],
            None,
            "mail.not_you",
        ),
        Kind::MfaDisabled => (
            t("mail.mfa_disabled.subject", std::slice::from_ref(&org)),
            vec![t("mail.mfa_disabled.intro", &[login.clone(), org.clone()])],
            None,
            "mail.not_you",
        ),
        Kind::MfaReset => (
            t("mail.mfa_reset.subject", std::slice::from_ref(&org)),
            vec![if by_someone {
                t(
                    "mail.mfa_reset.intro_by",
                    &[actor.clone(), login.clone(), org.clone()],
                )
            } else {
                t("mail.mfa_reset.intro", &[login.clone(), org.clone()])
            }],
            None,
            "mail.not_you",
        ),
        Kind::EmailChange => (
            t("mail.email_change.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.email_change.intro",
                &[new_email.clone(), login.clone(), org.clone()],
            )],
            Some("mail.email_change.action"),
            "mail.ignore",
        ),
        Kind::EmailChanged => (
            t("mail.email_changed.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.email_changed.intro",
                &[login.clone(), org.clone(), new_email.clone()],
            )],
            None,
            "mail.not_you",
        ),
        Kind::SecurityAlert => (
            t("mail.security.subject", std::slice::from_ref(&org)),
            vec![match p.event.as_deref() {
                Some("sign_in_blocked") => t(
                    "mail.security.sign_in_blocked",
                    &[
                        member.clone(),
                        org.clone(),
                        ("count", p.count.unwrap_or_default().to_string()),
                    ],
                ),
                _ => t(
                    "mail.security.mfa_reset",
                    &[member.clone(), org.clone(), actor.clone()],
                ),
            }],
            None,
            "mail.security.why",
        ),
        Kind::ImportFinished => {
            let i = p.import.clone().unwrap_or_default();
            (
                t("mail.import_finished.subject", std::slice::from_ref(&org)),
                vec![t(
                    "mail.import_finished.intro",
                    &[
                        actor.clone(),
                        org.clone(),
                        ("file", i.file),
                        ("created", i.created.to_string()),
                        ("updated", i.updated.to_string()),
                        ("unchanged", i.unchanged.to_string()),
                        ("invalid", i.invalid.to_string()),
                    ],
                )],
                None,
                "mail.import_finished.why",
            )
        }
        Kind::AlertsChanged => (
            t("mail.alerts_changed.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.alerts_changed.intro",
                &[actor.clone(), login.clone(), org.clone()],
            )],
            None,
            "mail.changed_by.why",
        ),
        Kind::SignatureChanged => (
            t("mail.signature_changed.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.signature_changed.intro",
                &[actor.clone(), login.clone(), org.clone()],
            )],
            None,
            "mail.changed_by.why",
        ),
        Kind::PasskeyAdded => (
            t("mail.passkey_added.subject", std::slice::from_ref(&org)),
            vec![t(
                "mail.passkey_added.intro",
                &[device.clone(), login.clone(), org.clone()],
            )],
            None,
            "mail.not_you",
        ),
        Kind::PasskeyRemoved => (
            t("mail.passkey_removed.subject", std::slice::from_ref(&org)),
            vec![if by_someone {
                t(
                    "mail.passkey_removed.intro_by",
                    &[actor.clone(), login.clone(), org.clone()],
                )
            } else {
                t(
                    "mail.passkey_removed.intro",
                    &[device.clone(), login.clone(), org.clone()],
                )
            }],
            None,
            "mail.not_you",
        ),
        Kind::MemberJoined => (
            t("mail.member_joined.subject", &[member.clone(), org.clone()]),
            vec![t(
                "mail.member_joined.intro",
                &[member.clone(), org.clone()],
            )],
            None,
            "mail.member_joined.why",
        ),
        Kind::MfaGraceStarted | Kind::MfaGraceSoon | Kind::MfaGraceLastDay => {
            let deadline = (
                "date",
                p.deadline
                    .map(|d| crate::time::date_time(lang, zone, d))
                    .unwrap_or_default(),
            );
            let days = ("days", p.count.unwrap_or_default().to_string());
            let (subject, intro) = match kind {
                Kind::MfaGraceStarted => (
                    "mail.mfa_grace_started.subject",
                    "mail.mfa_grace_started.intro",
                ),
                Kind::MfaGraceSoon => ("mail.mfa_grace_soon.subject", "mail.mfa_grace_soon.intro"),
                _ => (
                    "mail.mfa_grace_last_day.subject",
                    "mail.mfa_grace_last_day.intro",
                ),
            };
            (
                t(subject, &[org.clone(), days.clone()]),
                vec![
                    t(intro, &[login.clone(), org.clone(), days, deadline]),
                    t("mail.mfa_grace.how", &[]),
                ],
                None,
                "mail.mfa_grace.why",
            )
        }
    };
    blocks.extend(intro.into_iter().map(Block::Para));
    if let Some(url) = p.url.as_ref().filter(|_| link.is_none()) {
        blocks.push(Block::Action {
            label: t("mail.mfa_grace.action", &[]),
            url: url.clone(),
        });
    }
    if let (Some(label), Some(link)) = (action, link) {
        blocks.push(Block::Action {
            label: t(label, &[]),
            url: link.url.clone(),
        });
        blocks.push(Block::Para(t(
            "mail.link_expiry",
            &[
                ("duration", duration(lang, link.lifetime_ms)),
                ("date", crate::time::date_time(lang, zone, link.expires_at)),
            ],
        )));
    }
    blocks.push(Block::Para(t(outro, std::slice::from_ref(&org))));
    let closing = t("mail.closing", std::slice::from_ref(&org));
    Rendered {
        subject,
        text: text(&blocks, &closing, p.signature_text.as_deref()),
        html: html(lang, &blocks, &closing, p.signature_html.as_deref()),
    }
}

fn text(blocks: &[Block], closing: &str, signature: Option<&str>) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Para(p) => out.push_str(p),
            Block::Action { label, url } => {
                out.push_str(label);
                out.push_str(" :\n");
                out.push_str(url);
            }
        }
        out.push_str("\n\n");
    }
    match signature {
        Some(s) => {
            out.push_str("-- \n");
            out.push_str(s.trim_end());
        }
        None => out.push_str(closing),
    }
    out.push('\n');
    out
}

fn html(lang: Language, blocks: &[Block], closing: &str, signature: Option<&str>) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em;\">\n",
        lang.code()
    );
    for b in blocks {
        match b {
            Block::Para(p) => {
                out.push_str("<p>");
                out.push_str(&escape(p));
                out.push_str("</p>\n");
            }
            Block::Action { label, url } => {
                out.push_str(&format!(
                    "<p><a href=\"{url}\" style=\"display: inline-block; padding: 0.6em 1.2em; \
                     background: #1d4ed8; color: #ffffff; text-decoration: none; border-radius: 4px;\">{label}</a></p>\n\
                     <p style=\"font-size: 0.9em; color: #444444;\">{url}</p>\n",
                    url = escape(url),
                    label = escape(label),
                ));
            }
        }
    }
    match signature {
        // Sanitised when it was saved (crate::signature).
        Some(s) => out.push_str(&format!("<div class=\"signature\">{s}</div>\n")),
        None => out.push_str(&format!("<p>{}</p>\n", escape(closing))),
    }
    out.push_str("</body></html>\n");
    out
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// "7 jours", "1 hour", "30 minutes": the number reaches the catalogue as a number, which
/// chooses the word's plural form.
fn duration(lang: Language, ms: i64) -> String {
    let minutes = ms / 60_000;
    let (n, unit) = if minutes % 1440 == 0 && minutes >= 1440 {
        (minutes / 1440, "mail.duration.days")
    } else if minutes % 60 == 0 && minutes >= 60 {
        (minutes / 60, "mail.duration.hours")
    } else {
        (minutes, "mail.duration.minutes")
    };
    message(lang, unit, &[("count", n.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params {
            name: "Léa".into(),
            login: "lea.martin".into(),
            org_name: "AMAP <Les Paniers>".into(),
            actor: Some("Marie Dupont".into()),
            member: Some("Paul Roy".into()),
            event: Some("sign_in_blocked".into()),
            count: Some(5),
            device: Some("Chrome · Android".into()),
            signature_text: Some("Marie\nCoordinatrice".into()),
            signature_html: Some("<p>Marie<br>Coordinatrice</p>".into()),
            ..Params::default()
        }
    }

    #[test]
    fn every_kind_renders_in_both_languages_without_missing_text() {
        let link = Link {
            url: "https://comptes.example/activate?token=abc&x=1".into(),
            lifetime_ms: 7 * 86_400_000,
            expires_at: 1_795_000_000_000,
        };
        for kind in Kind::ALL {
            for lang in [Language::Fr, Language::En] {
                let zone = Zone::parse("America/Toronto").unwrap();
                let r = render(kind, lang, &zone, &params(), kind.link().map(|_| &link));
                // A missing catalogue entry would show its code.
                for part in [&r.subject, &r.text, &r.html] {
                    assert!(!part.contains("mail."), "{kind:?} {lang:?}: {part}");
                    assert!(!part.contains("{ $"), "{kind:?} {lang:?}: {part}");
                }
                assert!(r.text.starts_with(if lang == Language::Fr {
                    "Bonjour Léa"
                } else {
                    "Hello Léa"
                }));
                assert!(r.text.contains("-- \nMarie\nCoordinatrice"));
                assert!(r.html.contains("<p>Marie<br>Coordinatrice</p>"));
                // The organisation's name is escaped in the HTML, never markup.
                assert!(!r.html.contains("<Les Paniers>"), "{}", r.html);
                if kind.link().is_some() {
                    assert!(r.text.contains(&link.url));
                    assert!(r.html.contains("token=abc&amp;x=1"));
                    assert!(r.text.contains(if lang == Language::Fr {
                        "7 jours"
                    } else {
                        "7 days"
                    }));
                    // 1_795_000_000_000 is 2026-11-18T11:06:40Z: 6:06 in Toronto.
                    assert!(
                        r.text.contains(if lang == Language::Fr {
                            "jusqu'au 18 novembre 2026 à 6 h 06)"
                        } else {
                            "until 18 November 2026 at 6:06 AM)"
                        }),
                        "{}",
                        r.text
                    );
                    assert!(!r.text.contains("UTC"), "{}", r.text);
                }
            }
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Language::Fr, 3_600_000), "1 heure");
        assert_eq!(duration(Language::En, 90 * 60_000), "90 minutes");
        assert_eq!(duration(Language::En, 2 * 86_400_000), "2 days");
    }
}
