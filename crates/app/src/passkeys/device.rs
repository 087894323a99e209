//! A passkey's default name, read from the browser's `User-Agent`: "Chrome · Android",
//! "Safari · iPhone", "Firefox · Windows" — the same in both languages, and what a person
//! recognises in their list. Unrecognised: "Clé d'accès" / "Passkey".

use sesame_core::Language;

/// The default name of a passkey registered from this browser.
pub fn name(user_agent: Option<&str>, language: Language) -> String {
    let ua = user_agent.unwrap_or_default();
    let browser = browser(ua);
    let system = system(ua);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(n), None) | (None, Some(n)) => n.to_string(),
        (None, None) => match language {
            Language::Fr => "Clé d'accès".to_string(),
            _ => "Passkey".to_string(),
        },
    }
}

fn browser(ua: &str) -> Option<&'static str> {
    // Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
    [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name)
}

fn system(ua: &str) -> Option<&'static str> {
    [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Windows", "Windows"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::name;
    use sesame_core::Language;

    #[test]
    fn names_the_browser_and_the_system() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Linux",
            ),
        ];
        for (ua, expected) in cases {
            assert_eq!(name(Some(ua), Language::En), expected, "{ua}");
        }
        assert_eq!(name(None, Language::Fr), "Clé d'accès");
        assert_eq!(name(Some("curl/8.5"), Language::En), "Passkey");
    }
}
