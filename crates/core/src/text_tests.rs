use super::*;
use crate::{Login, PersonName, parse_label};
use proptest::prelude::*;

fn refused(value: &str) -> (&'static str, String) {
    let e = check_visible(value).expect_err(value);
    let ch = e
        .args
        .iter()
        .find(|(k, _)| *k == "char")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    (e.code, ch)
}

#[test]
fn bidi_controls_and_invisible_characters_are_named_by_code_point() {
    for (value, cp) in [
        ("\u{202E}nimda", "U+202E"),
        ("Zo\u{202D}é", "U+202D"),
        ("Zo\u{202A}é", "U+202A"),
        ("Léa\u{2066}x\u{2069}", "U+2066"),
        ("Léa\u{2069}", "U+2069"),
        ("Le\u{200E}a", "U+200E"),
        ("Le\u{200F}a", "U+200F"),
        ("Le\u{061C}a", "U+061C"),
        ("ad\u{200B}min", "U+200B"),
        ("ad\u{2060}min", "U+2060"),
        ("ad\u{FEFF}min", "U+FEFF"),
        ("ad\u{2062}min", "U+2062"),
        ("ad\u{180E}min", "U+180E"),
        ("ad\u{00AD}min", "U+00AD"),
        ("\u{3164}", "U+3164"),
        ("ad\u{E0061}min", "U+E0061"),
        ("ad\u{FE0F}min", "U+FE0F"),
    ] {
        assert_eq!(
            refused(value),
            ("text.hidden_char", cp.to_string()),
            "{value:?}"
        );
    }
}

#[test]
fn joiners_are_kept_inside_the_words_that_need_them() {
    for ok in [
        "می\u{200C}خواهم", // Persian: ZWNJ inside a word
        "क्\u{200D}ष",      // Hindi: ZWJ after a virama
        "क्\u{200C}ष",
        "ශ්\u{200D}රී",   // Sinhala
        "👩\u{200D}🌾", // an emoji sequence
        "❤\u{FE0F}\u{200D}🔥",
        "葛\u{E0100}城", // an ideographic variation (Japanese names)
        "❤\u{FE0F}",
    ] {
        assert_eq!(check_visible(ok), Ok(()), "{ok:?}");
    }
    for (bad, cp) in [
        ("ad\u{200C}min", "U+200C"), // between Latin letters it only hides
        ("ad\u{200D}min", "U+200D"),
        ("\u{200D}admin", "U+200D"),
        ("می\u{200C}", "U+200C"),
        ("می\u{200C} خواهم", "U+200C"),
        ("می\u{200C}\u{200C}خواهم", "U+200C"),
    ] {
        assert_eq!(
            refused(bad),
            ("text.stray_joiner", cp.to_string()),
            "{bad:?}"
        );
    }
}

#[test]
fn every_parser_of_names_refuses_them() {
    let rlo = "Dupont\u{202E}tnop";
    assert_eq!(PersonName::parse(rlo).unwrap_err().code, "text.hidden_char");
    assert_eq!(parse_label(rlo).unwrap_err().code, "text.hidden_char");
    assert_eq!(
        parse_label("Bureau\u{200B}").unwrap_err().code,
        "text.hidden_char"
    );
    let e = Login::parse("ad\u{202E}min").unwrap_err();
    assert_eq!(e.code, "text.hidden_char");
    assert_eq!(e.args[0], ("char", "U+202E".to_string()));
    // A joiner that passes the check is still not a login character: named by code point.
    let e = Login::parse("می\u{200C}خ").unwrap_err();
    assert_eq!(e.code, "login.invalid_chars");
    assert!(e.args[0].1.contains("U+200C"), "{:?}", e.args);
    assert!(PersonName::parse("می\u{200C}خواهم").is_ok());
    assert!(parse_label("Salle 🥕 des légumes").is_ok());
}

/// Letters that are blank by design (Hangul fillers): refused although Unicode calls them
/// letters.
fn blank_letter(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

fn selector(c: char) -> bool {
    SELECTORS
        .iter()
        .any(|(from, to, _, _)| (*from..=*to).contains(&c))
}

proptest! {
    #[test]
    fn every_letter_of_every_language_is_kept(name in "\\p{L}[\\p{L}\\p{M} '-]{0,40}\\p{L}") {
        // Marks that only vary or join what precedes them are the check's business, not
        // letters.
        prop_assume!(!name.chars().any(|c| blank_letter(c) || hidden_name(c).is_some() || selector(c)));
        let parsed = PersonName::parse(&name);
        prop_assert!(parsed.is_ok(), "{:?}: {:?}", name, parsed);
        prop_assert!(parse_label(&name).is_ok());
    }

    #[test]
    fn a_hidden_character_anywhere_is_refused(
        name in "\\p{L}{1,20}",
        at in 0usize..20,
        pick in 0usize..HIDDEN.len(),
    ) {
        let (from, _, _) = HIDDEN[pick];
        let chars: Vec<char> = name.chars().collect();
        let at = at.min(chars.len());
        let mut spoofed: String = chars[..at].iter().collect();
        spoofed.push(from);
        spoofed.extend(&chars[at..]);
        // Refused, or accepted only once trimmed away (a byte-order mark pasted at an edge).
        if let Ok(v) = PersonName::parse(&spoofed) {
            prop_assert!(!v.as_str().contains(from), "{:?} accepted as {:?}", spoofed, v);
        } else {
            prop_assert_eq!(PersonName::parse(&spoofed).unwrap_err().code, "text.hidden_char");
        }
    }
}
