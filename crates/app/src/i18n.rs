//! Every sentence a person reads comes from `locales/<lang>/sesame.ftl` (Fluent), looked up by
//! the stable code of what happened (`email.invalid` → message `email-invalid`).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use sesame_core::{FieldError, Language};
use std::sync::OnceLock;

const FR: &str = include_str!("../../../locales/fr/sesame.ftl");
const EN: &str = include_str!("../../../locales/en/sesame.ftl");

fn bundle(lang: Language) -> &'static FluentBundle<FluentResource> {
    static FR_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static EN_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let (cell, source, id) = match lang {
        Language::Fr => (&FR_BUNDLE, FR, unic_langid::langid!("fr")),
        Language::En => (&EN_BUNDLE, EN, unic_langid::langid!("en")),
    };
    cell.get_or_init(|| {
        let resource =
            FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
        let mut b = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: these texts go to terminals and JSON.
        b.set_use_isolating(false);
        let _ = b.add_resource(resource);
        b
    })
}

/// The message for `code` with its arguments, in `lang`. Falls back to the other language,
/// then to the code itself, so a missing translation never hides an error.
pub fn message(lang: Language, code: &str, args: &[(&str, String)]) -> String {
    let id = code.replace(['.', '_'], "-");
    for l in [
        lang,
        if lang == Language::Fr {
            Language::En
        } else {
            Language::Fr
        },
    ] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(&id).and_then(|m| m.value()) {
            let mut fargs = FluentArgs::new();
            for (k, v) in args {
                // A count selects its plural form only as a number; "007", "+33" or digits
                // past what a Fluent number (an f64) holds exactly stay text.
                match v.parse::<i64>() {
                    Ok(n) if n.to_string() == *v && n.unsigned_abs() < 1 << 53 => fargs.set(*k, n),
                    _ => fargs.set(*k, v.clone()),
                }
            }
            let mut errors = vec![];
            return b
                .format_pattern(pattern, Some(&fargs), &mut errors)
                .into_owned();
        }
    }
    code.to_string()
}

/// `e` in `lang`, for a person reading a page, a report or the CLI: permissions by their plain
/// names (« créer des utilisateurs »), not their codes.
pub fn field_error(lang: Language, e: &FieldError) -> String {
    message(lang, e.code, &args_of(lang, e, false))
}

/// The arguments of `e`'s message in `lang`: permissions by their names (followed by their
/// codes when `with_codes`, for the API's readers), and `field`, the field's name as the forms
/// and the spreadsheet say it (« Nom »), unless the error names it itself.
pub fn args_of(lang: Language, e: &FieldError, with_codes: bool) -> Vec<(&'static str, String)> {
    let mut args: Vec<(&'static str, String)> = e
        .args
        .iter()
        .map(|(k, v)| match *k {
            "permission" => (*k, permission_names(lang, v, with_codes)),
            _ => (*k, v.clone()),
        })
        .collect();
    if !args.iter().any(|(k, _)| *k == "field") {
        args.push(("field", field_name(lang, &e.field)));
    }
    args
}

/// A field's name in `lang` (`last_name` → « Nom »), or the field as sent when it has none.
/// An item of a list is named by its list (`groups[2]` → « Groupes »).
pub fn field_name(lang: Language, field: &str) -> String {
    let base = field.split_once('[').map_or(field, |(b, _)| b);
    let id = format!("field-name-{}", base.replace('_', "-"));
    if base.is_empty() || !base.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return field.to_string();
    }
    match bundle(lang).get_message(&id).and_then(|m| m.value()) {
        Some(_) => message(lang, &id, &[]),
        None => field.to_string(),
    }
}

/// Permission codes (`users.create, roles.assign`) by their names in `lang`, quoted as the
/// language quotes, each followed by its code when `with_codes` (for the API's readers).
pub fn permission_names(lang: Language, codes: &str, with_codes: bool) -> String {
    let (open, close) = match lang {
        Language::En => ("\"", "\""),
        Language::Fr => ("« ", " »"),
    };
    codes
        .split(", ")
        .map(|c| {
            let name = message(lang, &format!("perm.{c}"), &[]);
            match with_codes {
                true => format!("{open}{name}{close} ({c})"),
                false => format!("{open}{name}{close}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every message id defined for `lang`, for the test that both languages say the same things.
pub fn ids(lang: Language) -> Vec<String> {
    let source = match lang {
        Language::Fr => FR,
        Language::En => EN,
    };
    let mut ids: Vec<String> = source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_define_the_same_messages() {
        assert_eq!(ids(Language::Fr), ids(Language::En));
        assert!(ids(Language::Fr).len() > 20);
    }

    #[test]
    fn messages_take_their_arguments() {
        let m = message(
            Language::Fr,
            "login.invalid_chars",
            &[("chars", "é ␣".into())],
        );
        assert!(m.contains("é ␣"), "{m}");
        assert_ne!(message(Language::En, "email.invalid", &[]), "email.invalid");
        assert_eq!(message(Language::En, "no.such.code", &[]), "no.such.code");
    }

    #[test]
    fn counts_choose_their_plural_form() {
        let count = |lang, n: &str| message(lang, "web-users-count", &[("count", n.into())]);
        assert_eq!(count(Language::Fr, "0"), "Aucun utilisateur ne correspond.");
        assert_eq!(count(Language::Fr, "1"), "Un utilisateur.");
        assert_eq!(count(Language::En, "3"), "3 users.");
        // Text that looks like a number is left as typed.
        let m = message(Language::Fr, "login.taken", &[("value", "007".into())]);
        assert!(m.contains("007"), "{m}");
    }

    /// The variables that hold a number. Every variable of the catalogues is in this list or in
    /// [`TEXT_VARIABLES`] (checked below), so a new count cannot escape the plural test.
    const NUMBER_VARIABLES: [&str; 18] = [
        "count",
        "created",
        "days",
        "expired",
        "failed",
        "invalid",
        "length",
        "limit",
        "line",
        "max",
        "min",
        "minutes",
        "pending",
        "rows",
        "seconds",
        "size",
        "unchanged",
        "updated",
    ];
    /// Texts, and numbers that count nothing (a row's number: « ligne 2 »; the parts of a
    /// date: « 4 décembre 2026 à 15 h 13 »).
    const TEXT_VARIABLES: [&str; 65] = [
        "actor",
        "addr",
        "address",
        "alg",
        "app",
        "alert",
        "answer",
        "at",
        "candidates",
        "char",
        "chars",
        "column",
        "country",
        "current",
        "date",
        "day",
        "db",
        "detail",
        "device",
        "domain",
        "duration",
        "email",
        "encoding",
        "error",
        "expected",
        "field",
        "file",
        "format",
        "group",
        "groups",
        "half",
        "hour",
        "hour12",
        "id",
        "list",
        "login",
        "mail",
        "member",
        "minute",
        "month",
        "name",
        "new_email",
        "next",
        "org",
        "page",
        "part",
        "path",
        "permission",
        "profile",
        "reason",
        "recipient",
        "required",
        "retired",
        "role",
        "row",
        "scheme",
        "scope",
        "slug",
        "slugs",
        "state",
        "value",
        "version",
        "when",
        "year",
        "source",
    ];

    /// Each message of `lang` with its source text (continuation lines included).
    fn sources(lang: Language) -> Vec<(String, String)> {
        let source = match lang {
            Language::Fr => FR,
            Language::En => EN,
        };
        let mut out: Vec<(String, String)> = Vec::new();
        for line in source.lines() {
            let starts = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            match line.split_once(" = ") {
                Some((id, body)) if starts => out.push((id.to_string(), body.to_string())),
                _ if line.starts_with('#') || line.trim().is_empty() => {}
                _ => {
                    if let Some((_, body)) = out.last_mut() {
                        body.push('\n');
                        body.push_str(line);
                    }
                }
            }
        }
        out
    }

    fn variables(body: &str) -> Vec<String> {
        // A variable opens a placeable (`{ $x }`, `{ $x ->`) or a call's argument: a `$`
        // elsewhere is text (a WordPress hash's « $P$… » shown as an example).
        let parts: Vec<&str> = body.split('$').collect();
        let mut vars: Vec<String> = parts
            .windows(2)
            .filter(|w| w[0].trim_end().ends_with(['{', '(']))
            .map(|w| {
                w[1].chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect()
            })
            .collect();
        vars.sort();
        vars.dedup();
        vars
    }

    #[test]
    fn the_smallest_number_is_said_not_a_panic() {
        // A value typed by anyone (an application's lifetime) reaches a message as it is.
        let said = message(
            Language::En,
            "app.lifetime_range",
            &[
                ("value", i64::MIN.to_string()),
                ("min", "60".into()),
                ("max", "86400".into()),
            ],
        );
        assert!(said.contains("9223372036854775808"), "{said}");
    }

    #[test]
    fn every_variable_is_known_as_a_number_or_a_text() {
        for lang in [Language::Fr, Language::En] {
            for (id, body) in sources(lang) {
                for v in variables(&body) {
                    assert!(
                        NUMBER_VARIABLES.contains(&v.as_str())
                            || TEXT_VARIABLES.contains(&v.as_str()),
                        "{id} ({lang:?}) takes ${v}: add it to NUMBER_VARIABLES or TEXT_VARIABLES"
                    );
                }
            }
        }
    }

    /// The word after the number `n` in `text`, for each place it stands alone.
    fn words_after(text: &str, n: i64) -> Vec<String> {
        let n = n.to_string();
        let words: Vec<&str> = text.split_whitespace().collect();
        let bare = |w: &str| {
            w.trim_matches(|c: char| "()«»“”\",.;:!?".contains(c))
                .to_string()
        };
        words
            .windows(2)
            .filter(|w| bare(w[0]) == n && !w[0].ends_with([',', '.', ';', ':', ')']))
            .map(|w| bare(w[1]))
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Words that end in s in the singular too, or do not end in s in the plural.
    const SAME_IN_BOTH: [&str; 3] = ["fois", "mis", "dans"];
    const PLURAL_ONLY: [&str; 1] = ["people"];

    /// Every message taking a number, rendered with 0, 1 and 2 in each of its numbers in turn:
    /// the word after the number agrees with it (French: 0 and 1 singular; English: 1 only).
    #[test]
    fn every_count_agrees_with_its_number() {
        let mut checked = 0;
        for lang in [Language::Fr, Language::En] {
            for (id, body) in sources(lang) {
                let vars = variables(&body);
                for counted in vars
                    .iter()
                    .filter(|v| NUMBER_VARIABLES.contains(&v.as_str()))
                {
                    let render = |n: i64| {
                        let args: Vec<(&str, String)> = vars
                            .iter()
                            .map(|v| match v {
                                v if v == counted => (v.as_str(), n.to_string()),
                                v if NUMBER_VARIABLES.contains(&v.as_str()) => {
                                    (v.as_str(), "7".to_string())
                                }
                                v => (v.as_str(), "X".to_string()),
                            })
                            .collect();
                        message(lang, &id, &args)
                    };
                    let (zero, one, two) = (render(0), render(1), render(2));
                    let (w0, w1, w2) = (
                        words_after(&zero, 0),
                        words_after(&one, 1),
                        words_after(&two, 2),
                    );
                    let singular_zero = lang == Language::Fr;
                    for (i, w2) in w2.iter().enumerate() {
                        let Some(w1) = w1.get(i) else { continue };
                        checked += 1;
                        let plural = (w2.ends_with('s') || w2.ends_with('x'))
                            && !SAME_IN_BOTH.contains(&w2.as_str());
                        let singular_as_plural = plural && w1 == w2;
                        assert!(
                            !singular_as_plural && !PLURAL_ONLY.contains(&w1.as_str()),
                            "{id} ({lang:?}), ${counted}: « {one} » / « {two} »"
                        );
                        if let Some(w0) = w0.get(i) {
                            let expected = if singular_zero { w1 } else { w2 };
                            assert_eq!(w0, expected, "{id} ({lang:?}), ${counted}: « {zero} »");
                        }
                    }
                }
            }
        }
        assert!(checked > 40, "only {checked} counts checked");
    }

    #[test]
    fn french_counts_zero_and_one_as_singular() {
        let m = |n: &str| message(Language::Fr, "auth.throttled", &[("seconds", n.into())]);
        assert!(m("0").ends_with("dans 0 seconde."), "{}", m("0"));
        assert!(m("1").ends_with("dans 1 seconde."), "{}", m("1"));
        assert!(m("2").ends_with("dans 2 secondes."), "{}", m("2"));
        let en = |n: &str| message(Language::En, "auth.throttled", &[("seconds", n.into())]);
        assert!(en("0").ends_with("in 0 seconds."), "{}", en("0"));
        assert!(en("1").ends_with("in 1 second."), "{}", en("1"));
    }

    #[test]
    fn people_read_permissions_by_their_names() {
        let e = FieldError::new("", "permission.missing")
            .with("permission", "users.create, roles.assign");
        assert_eq!(
            field_error(Language::Fr, &e),
            "Vous n'avez pas la permission nécessaire : « créer des utilisateurs », « attribuer des rôles »."
        );
        let en = field_error(Language::En, &e);
        assert!(!en.contains("users.create") && en.contains('"'), "{en}");
        assert_eq!(
            permission_names(Language::En, "users.create", true),
            format!(
                "\"{}\" (users.create)",
                message(Language::En, "perm.users.create", &[])
            )
        );
    }
}
