//! Characters that make text lie about itself: the bidirectional controls that reorder what
//! follows them (a right-to-left override turns `nimda` into what reads as "admin"), and the
//! invisible ones that hide inside a word (`ad​min` with a zero-width space looks like `admin`
//! and is not). Names, logins, group and role names refuse them, each refusal naming the
//! character by its code point, never by itself (printed, it would do what it does).
//!
//! Every letter of every language stays accepted, and so do the two joiners some scripts need
//! inside words: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D), as in Persian
//! `می‌خواهم` or Hindi `क्‍ष`. They are accepted inside a word of a script that uses them (after a
//! character of Arabic, Syriac, N'Ko, the Indic scripts, Tibetan, Myanmar, Khmer or Mongolian,
//! or — for ZWJ — between emoji) and before a character that is not a space; elsewhere, between
//! Latin letters say, they only hide.

use crate::error::Invalid;

/// The characters refused everywhere, with their Unicode names (for the message).
const HIDDEN: &[(char, char, &str)] = &[
    ('\u{00AD}', '\u{00AD}', "SOFT HYPHEN"),
    ('\u{034F}', '\u{034F}', "COMBINING GRAPHEME JOINER"),
    ('\u{061C}', '\u{061C}', "ARABIC LETTER MARK"),
    // Hangul fillers are letters only in name: blank placeholders, the classic invisible name.
    ('\u{115F}', '\u{115F}', "HANGUL CHOSEONG FILLER"),
    ('\u{1160}', '\u{1160}', "HANGUL JUNGSEONG FILLER"),
    ('\u{17B4}', '\u{17B4}', "KHMER VOWEL INHERENT AQ"),
    ('\u{17B5}', '\u{17B5}', "KHMER VOWEL INHERENT AA"),
    ('\u{180E}', '\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{200B}', '\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200E}', '\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', '\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{2028}', '\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', '\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{202A}', '\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', '\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', '\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', '\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', '\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2060}', '\u{2060}', "WORD JOINER"),
    ('\u{2061}', '\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', '\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', '\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', '\u{2064}', "INVISIBLE PLUS"),
    ('\u{2066}', '\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', '\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', '\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', '\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{206A}', '\u{206F}', "DEPRECATED FORMAT CHARACTER"),
    ('\u{3164}', '\u{3164}', "HANGUL FILLER"),
    (
        '\u{FEFF}',
        '\u{FEFF}',
        "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)",
    ),
    ('\u{FFA0}', '\u{FFA0}', "HALFWIDTH HANGUL FILLER"),
    ('\u{FFF9}', '\u{FFFB}', "INTERLINEAR ANNOTATION CHARACTER"),
    ('\u{1BCA0}', '\u{1BCA3}', "SHORTHAND FORMAT CONTROL"),
    ('\u{1D173}', '\u{1D17A}', "MUSICAL SYMBOL FORMAT CONTROL"),
    ('\u{E0000}', '\u{E007F}', "TAG CHARACTER"),
];

/// Variation selectors choose the form of the character before them: kept after one they can
/// vary (an emoji, a CJK ideograph as in Japanese names, a Mongolian letter); after a Latin
/// letter they are only invisible.
const SELECTORS: &[Selector] = &[
    (
        '\u{180B}',
        '\u{180D}',
        "MONGOLIAN FREE VARIATION SELECTOR",
        is_mongolian,
    ),
    (
        '\u{180F}',
        '\u{180F}',
        "MONGOLIAN FREE VARIATION SELECTOR FOUR",
        is_mongolian,
    ),
    ('\u{FE00}', '\u{FE0F}', "VARIATION SELECTOR", |c| {
        is_emoji(c) || is_ideograph(c)
    }),
    (
        '\u{E0100}',
        '\u{E01EF}',
        "VARIATION SELECTOR SUPPLEMENT",
        is_ideograph,
    ),
];

/// First and last code point, Unicode name, what it may follow.
type Selector = (char, char, &'static str, fn(char) -> bool);

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// Refuses the first character of `value` that reorders or hides text, naming its code point
/// (`U+202E`) and Unicode name.
pub fn check_visible(value: &str) -> Result<(), Invalid> {
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|b| chars[b]);
        let selector = SELECTORS
            .iter()
            .find(|(from, to, _, _)| (*from..=*to).contains(&c))
            .filter(|(_, _, _, varies)| !before.is_some_and(varies))
            .map(|(_, _, name, _)| *name);
        if let Some(name) = hidden_name(c).or(selector) {
            return Err(Invalid::new("text.hidden_char")
                .with("char", code_point(c))
                .with("name", name));
        }
        if c == ZWNJ || c == ZWJ {
            let after = chars.get(i + 1).copied();
            if !joiner_in_word(c, before, after) {
                return Err(Invalid::new("text.stray_joiner")
                    .with("char", code_point(c))
                    .with(
                        "name",
                        if c == ZWJ {
                            "ZERO WIDTH JOINER"
                        } else {
                            "ZERO WIDTH NON-JOINER"
                        },
                    ));
            }
        }
    }
    Ok(())
}

/// `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

fn hidden_name(c: char) -> Option<&'static str> {
    HIDDEN
        .iter()
        .find(|(from, to, _)| (*from..=*to).contains(&c))
        .map(|(_, _, name)| *name)
}

fn joiner_in_word(joiner: char, before: Option<char>, after: Option<char>) -> bool {
    let (Some(before), Some(after)) = (before, after) else {
        return false;
    };
    if after.is_whitespace() || after == ZWJ || after == ZWNJ || hidden_name(after).is_some() {
        return false;
    }
    joins_in_its_script(before)
        || (joiner == ZWJ && (is_emoji(before) || before == '\u{FE0F}') && is_emoji(after))
}

/// The scripts whose words use the joiners (their letters, vowel signs and viramas).
fn joins_in_its_script(c: char) -> bool {
    matches!(u32::from(c),
        0x0600..=0x06FF // Arabic (Persian, Urdu…)
        | 0x0700..=0x074F // Syriac
        | 0x0750..=0x077F // Arabic Supplement
        | 0x07C0..=0x07FF // N'Ko
        | 0x0860..=0x086F // Syriac Supplement
        | 0x0870..=0x08FF // Arabic Extended-B and -A
        | 0x0900..=0x0DFF // Devanagari … Sinhala
        | 0x0F00..=0x0FFF // Tibetan
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x1800..=0x18AF // Mongolian
        | 0xA8E0..=0xA8FF // Devanagari Extended
        | 0xA9E0..=0xA9FF // Myanmar Extended-B
        | 0xAA60..=0xAA7F // Myanmar Extended-A
        | 0xFB50..=0xFDFF // Arabic Presentation Forms-A
        | 0xFE70..=0xFEFE // Arabic Presentation Forms-B
        | 0x10D00..=0x10D3F // Hanifi Rohingya
        | 0x11000..=0x111FF // Brahmi … Sharada
    )
}

fn is_emoji(c: char) -> bool {
    matches!(u32::from(c), 0x2000..=0x2BFF | 0x3030..=0x303D | 0x1F000..=0x1FAFF)
}

fn is_ideograph(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn is_mongolian(c: char) -> bool {
    matches!(u32::from(c), 0x1800..=0x18AF)
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
