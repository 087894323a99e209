use super::client::{may_open, strip_port};
use super::uris::{Kind, check, check_host, redirect_matches};
use super::*;
use crate::secret;

fn client(public: bool, redirects: &[&str]) -> Client {
    Client {
        id: "c".into(),
        org_id: "o".into(),
        name: "Nextcloud".into(),
        public,
        trusted: false,
        redirect_uris: redirects.iter().map(|s| s.to_string()).collect(),
        post_logout_uris: vec!["https://cloud.example.org/".into()],
        backchannel_logout_uri: None,
        forward_auth_hosts: vec![],
        launch_url: None,
        logo_url: None,
        id_token_alg: "RS256".into(),
        access_token_lifetime_s: 3600,
        refresh_token_lifetime_s: 2_592_000,
        groups: vec![],
        restricted: false,
        secret_hash: (!public).then(|| secret::hash("scs_right")),
    }
}

#[test]
fn redirects_match_exactly() {
    let c = client(false, &["https://cloud.example.org/apps/user_oidc/code"]);
    assert!(c.redirect_allowed("https://cloud.example.org/apps/user_oidc/code"));
    for other in [
        "https://cloud.example.org/apps/user_oidc/code/",
        "https://cloud.example.org/apps/user_oidc/code?x=1",
        "https://CLOUD.example.org/apps/user_oidc/code",
        "https://cloud.example.org:443/apps/user_oidc/code",
        "https://cloud.example.org/apps/user_oidc/code#f",
        "https://cloud.example.org.evil.test/apps/user_oidc/code",
        "",
    ] {
        assert!(!c.redirect_allowed(other), "{other}");
    }
}

#[test]
fn a_public_clients_loopback_redirect_matches_any_port() {
    let regs = ["http://127.0.0.1/callback", "http://[::1]:8000/cb"];
    let public = client(true, &regs);
    assert!(public.redirect_allowed("http://127.0.0.1:53412/callback"));
    assert!(public.redirect_allowed("http://127.0.0.1/callback"));
    assert!(public.redirect_allowed("http://[::1]:1234/cb"));
    // Only the port may differ.
    assert!(!public.redirect_allowed("http://127.0.0.1:53412/other"));
    assert!(!public.redirect_allowed("http://127.0.0.1:53412/callback?x=1"));
    assert!(!public.redirect_allowed("http://[::1]:1234/callback"));
    assert!(!public.redirect_allowed("https://127.0.0.1:53412/callback"));
    // Not a name, which could be made to point elsewhere.
    let named = client(true, &["http://localhost/callback"]);
    assert!(!named.redirect_allowed("http://localhost:8080/callback"));
    assert!(named.redirect_allowed("http://localhost/callback"));
    // A confidential client's ports are exact.
    let confidential = client(false, &regs);
    assert!(!confidential.redirect_allowed("http://127.0.0.1:53412/callback"));
    assert!(confidential.redirect_allowed("http://127.0.0.1/callback"));
}

#[test]
fn a_custom_scheme_redirect_matches_exactly() {
    let c = client(true, &["fr.amisgest.app:/callback"]);
    assert!(c.redirect_allowed("fr.amisgest.app:/callback"));
    assert!(!c.redirect_allowed("fr.amisgest.app:/callback2"));
    assert!(!c.redirect_allowed("fr.amisgest.evil:/callback"));
}

#[test]
fn post_logout_addresses_match_exactly() {
    let c = client(false, &["https://a.example.org/cb"]);
    assert!(c.post_logout_allowed("https://cloud.example.org/"));
    assert!(!c.post_logout_allowed("https://cloud.example.org"));
    assert!(!c.post_logout_allowed("https://cloud.example.org/?next=x"));
}

#[test]
fn secrets_are_checked_against_their_hash_and_never_for_public_clients() {
    let c = client(false, &["https://a.example.org/cb"]);
    assert!(c.check_secret("scs_right"));
    assert!(!c.check_secret("scs_wrong"));
    assert!(!c.check_secret(""));
    let mut p = client(true, &["https://a.example.org/cb"]);
    assert!(!p.check_secret("scs_right"));
    p.secret_hash = Some(secret::hash("scs_right"));
    assert!(
        !p.check_secret("scs_right"),
        "a public client has no secret"
    );
}

#[test]
fn registered_addresses_follow_the_rules() {
    let public = Kind::Return { public: true };
    let confidential = Kind::Return { public: false };
    let code = |raw: &str, kind: Kind| check(raw, "redirect_uris[0]", kind).err().map(|e| e.code);
    assert_eq!(code("https://cloud.example.org/cb", confidential), None);
    assert_eq!(code("http://127.0.0.1:8080/cb", confidential), None);
    assert_eq!(code("http://[::1]/cb", confidential), None);
    assert_eq!(code("http://localhost:3000/cb", confidential), None);
    assert_eq!(code("fr.amisgest.app:/callback", public), None);
    assert_eq!(
        code("fr.amisgest.app:/callback", confidential),
        Some("app.uri_custom_confidential")
    );
    assert_eq!(
        code("myapp:/callback", public),
        Some("app.uri_custom_scheme")
    );
    assert_eq!(
        code("javascript:alert(1)", public),
        Some("app.uri_custom_scheme")
    );
    assert_eq!(
        code("http://cloud.example.org/cb", confidential),
        Some("app.uri_not_https")
    );
    assert_eq!(
        code("https://cloud.example.org/cb#top", confidential),
        Some("app.uri_fragment")
    );
    assert_eq!(code("/cb", confidential), Some("app.uri_invalid"));
    assert_eq!(
        code("cloud.example.org/cb", confidential),
        Some("app.uri_invalid")
    );
    assert_eq!(
        code("https://a b.org/", confidential),
        Some("app.uri_invalid")
    );
    assert_eq!(
        code("https://u:p@cloud.example.org/", confidential),
        Some("app.uri_credentials")
    );
    // A back-channel address is called by Sésame: https, or http on this machine.
    assert_eq!(code("https://cloud.example.org/logout", Kind::Called), None);
    assert_eq!(code("http://127.0.0.1:9/logout", Kind::Called), None);
    assert_eq!(
        code("http://cloud.example.org/logout", Kind::Called),
        Some("app.uri_not_https")
    );
    assert_eq!(
        code("fr.amisgest.app:/x", Kind::Called),
        Some("app.uri_not_https")
    );
    // A tile's link may be plain http.
    assert_eq!(code("http://intranet.example.org/", Kind::Link), None);
    // Kept as typed (trimmed), for exact comparison.
    assert_eq!(
        check(" https://Cloud.example.org/cb ", "f", confidential).unwrap(),
        "https://Cloud.example.org/cb"
    );
}

#[test]
fn forward_auth_hosts_are_host_names() {
    assert_eq!(
        check_host("Wiki.Example.org", "h").unwrap(),
        "wiki.example.org"
    );
    assert_eq!(check_host("localhost:8081", "h").unwrap(), "localhost:8081");
    for bad in [
        "",
        "https://wiki.example.org",
        "wiki.example.org/x",
        "a b",
        "u@h",
    ] {
        assert!(check_host(bad, "h").is_err(), "{bad}");
    }
    assert_eq!(strip_port("wiki.example.org:8443"), "wiki.example.org");
    assert_eq!(strip_port("[::1]:80"), "[::1]");
    assert_eq!(strip_port("[::1]"), "[::1]");
    assert_eq!(strip_port("wiki.example.org"), "wiki.example.org");
}

#[test]
fn registered_loopback_match_needs_a_public_client() {
    let regs = vec!["http://127.0.0.1/cb".to_string()];
    assert!(redirect_matches(&regs, true, "http://127.0.0.1:9/cb"));
    assert!(!redirect_matches(&regs, false, "http://127.0.0.1:9/cb"));
}

#[test]
fn tiles_show_the_names_initial() {
    assert_eq!(initial("nextcloud"), "N");
    assert_eq!(initial("« Écolo »"), "É");
    assert_eq!(initial("…"), "?");
}

#[test]
fn who_may_open_an_application() {
    let lilas = ["lilas".to_string()];
    let none: [String; 0] = [];
    assert!(
        may_open(false, &none, &none),
        "not restricted: every member"
    );
    assert!(may_open(true, &lilas, &lilas));
    assert!(!may_open(true, &lilas, &none));
    // Restricted to groups since deleted: nobody, not everybody.
    assert!(!may_open(true, &none, &lilas));
    assert!(!may_open(true, &none, &none));
}

#[test]
fn a_clients_debug_hides_its_secret_hash() {
    let c = client(false, &["https://a.example.org/cb"]);
    let shown = format!("{c:?}");
    assert!(!shown.contains(&secret::hash("scs_right")), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
}
