//! The cases: every route served, with real ids, a valid body, and what it promises to
//! someone without rights.

use crate::harness::USER_PASSWORD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// What a route promises to someone without rights.
#[derive(Clone, Copy, Debug)]
pub(super) enum Rule {
    /// Needs a right: nobody is refused (API 401; page: the sign-in redirect), Rémi gets 403,
    /// and nothing changes.
    Right,
    /// Open to anyone, for this reason. Nobody changes nothing; Rémi changes at most his own
    /// rows (the language switch).
    Public(&'static str),
    /// Refused to nobody; open to anyone signed in for their own things, for this reason:
    /// it changes at most the caller's own rows.
    Own(&'static str),
    /// Refused to nobody; open to anyone signed in, for this reason (it reads only what is the
    /// same for everyone): Rémi reads it, and nothing changes.
    Signed(&'static str),
    /// Refused to nobody; refused to Rémi with this status rather than 403 (a 404 for an
    /// existing object that is not his), for this reason; nothing changes.
    Refused(StatusCode, &'static str),
}

/// What a request carries.
#[derive(Clone, Debug)]
pub(super) enum Body {
    None,
    Json(Value),
    /// A page's form, to which the CSRF field is added.
    Form(Vec<(&'static str, String)>),
    /// A spreadsheet to import: multipart, with the CSRF field first for the pages.
    File,
}

#[derive(Debug)]
pub(super) struct Case {
    pub(super) method: Method,
    /// The route as the server lists it (`/api/v1/users/{id}`).
    pub(super) route: &'static str,
    /// The path called, with real ids and a query.
    pub(super) path: String,
    pub(super) body: Body,
    pub(super) rule: Rule,
}

pub(super) fn case(
    method: Method,
    route: &'static str,
    path: impl Into<String>,
    body: Body,
) -> Case {
    Case {
        method,
        route,
        path: path.into(),
        body,
        rule: Rule::Right,
    }
}

impl Case {
    pub(super) fn rule(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }

    pub(super) fn is_api(&self) -> bool {
        self.route.starts_with("/api/")
    }
}

fn form(fields: &[(&'static str, &str)]) -> Body {
    Body::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// A spreadsheet with one new member, as an administrator would import it.
pub(super) const CSV: &str = "Courriel;Prénom;Nom\nintrus@example.org;Ivan;Trus\n";

/// The ids the administrator made, for the paths.
pub(super) struct Ids {
    /// An active member with a role in a group and a session of her own.
    pub(super) target: String,
    /// A disabled member (to enable).
    pub(super) disabled: String,
    /// Rémi, who holds no right.
    pub(super) remi: String,
    pub(super) group: String,
    /// An application's client_id.
    pub(super) app: String,
    pub(super) role: String,
    pub(super) admin_role: String,
    /// Amapien: a role without any permission.
    pub(super) member_role: String,
    pub(super) import: String,
    pub(super) outbox: String,
    pub(super) admin_token: String,
    pub(super) admin_session: String,
    /// Rémi's browser session (to end it through the API).
    pub(super) remi_browser_session: String,
}

/// Why Rémi may read the groups.
const GROUPS: &str = "group names and sizes are not secret inside the organisation (the app reads them for anyone signed in); who is in them is shown only with users.view";

/// Why Rémi may read the roles.
const ROLES: &str = "role names and what they allow, as the app reads them for anyone signed in (a person's own page names their roles)";

/// Why forward authentication's check is open.
const FORWARD_CHECK: &str = "asked by the reverse proxy: 200 only with a live host cookie of that host's, 401 or 403 otherwise";
/// Why its start is open.
const FORWARD_START: &str = "leads to the sign-in, then sends a code only to a host an application lists; any other address gets an error page";
/// Why its callback is open.
const FORWARD_CALLBACK: &str = "redeems a single-use code issued for that host to a signed-in person; anything else gets an error page";
/// Why its sign-out is open.
const FORWARD_SIGN_OUT: &str = "ends only the host cookie the caller sent";
/// Why the provider's documents are open.
const OIDC_DOC: &str =
    "the provider's public description and public keys, which every application reads";
/// Why the authorization endpoint is open.
const OIDC_AUTHORIZE: &str = "an application's sign-in request: an unregistered client or redirect address gets an error page; a registered one leads to the sign-in and the person's own consent";
/// Why the token endpoints are open.
const OIDC_CLIENT: &str =
    "called by applications, which prove themselves with their client secret (401 without)";
/// Why userinfo is open.
const OIDC_PREFLIGHT: &str = "a browser's question before an application's cross-origin call (CORS): reads and changes nothing";
const OIDC_BEARER: &str = "called with an application's access token (401 without)";
/// Why logout is open.
const OIDC_LOGOUT: &str = "signs out only the caller, and only after they confirm (or with an ID token of their own session)";

/// Why a deletion sent without its confirmation box answers 422 to Rémi.
const UNCONFIRMED: &str = "the missing confirmation is said before the right is checked; nothing changes, and the page shown again is the one anyone signed in may read";

/// Every route, once at least; the generic actions once each. Bodies ask for what needs one
/// right only (a new member without a role, not invited), so that no other check could stand
/// in for a missing one; attempts to grant oneself more come as cases of their own.
pub(super) fn cases(ids: &Ids) -> Vec<Case> {
    use Method as M;
    use Rule::*;
    let Ids {
        target: t,
        disabled,
        remi,
        group: g,
        app,
        role: r,
        admin_role,
        member_role,
        import: i,
        outbox: o,
        ..
    } = ids;
    let mut c = vec![
        // --- The API's open doors.
        case(M::POST, "/api/v1/auth/login", "/api/v1/auth/login", Body::Json(json!({"login": "remi"}))).rule(Public("signing in is how one gets a right; here an incomplete form, refused before anything is looked up")),
        case(M::POST, "/api/v1/auth/login/password", "/api/v1/auth/login/password", Body::Json(json!({"login": "remi"}))).rule(Public("signing in is how one gets a right; here an incomplete form, refused before anything is looked up")),
        case(M::POST, "/api/v1/auth/login/code", "/api/v1/auth/login/code", Body::Json(json!({"ticket": "sic_not-a-ticket", "code": "123456"}))).rule(Public("the second step of signing in, which its ticket guards; here an unknown ticket")),
        case(M::POST, "/api/v1/auth/login/passkey/options", "/api/v1/auth/login/passkey/options", Body::Json(json!({"ticket": "sic_not-a-ticket"}))).rule(Public("the second step of signing in with a passkey, which its ticket guards; here an unknown ticket")),
        case(M::POST, "/api/v1/auth/login/passkey", "/api/v1/auth/login/passkey", Body::Json(json!({"ticket": "sic_not-a-ticket", "ceremony": "pkc_not-a-ceremony", "credential": {}}))).rule(Public("the second step of signing in with a passkey, which its ticket guards; here an unknown ticket")),
        case(M::POST, "/api/v1/auth/passkey/options", "/api/v1/auth/passkey/options?org=nowhere", Body::None).rule(Public("signing in with a passkey is how one gets a right; here an organisation that does not exist, refused before anything is written")),
        case(M::POST, "/api/v1/auth/passkey", "/api/v1/auth/passkey", Body::Json(json!({"ceremony": "pkc_not-a-ceremony", "credential": {}}))).rule(Public("signing in with a passkey is how one gets a right; here a malformed answer, refused before anything is looked up")),
        case(M::POST, "/api/v1/setup", "/api/v1/setup", Body::Json(json!({"token": "not-the-setup-token-0123456789", "email": "x@example.org", "password": USER_PASSWORD}))).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::POST, "/api/v1/account/activate", "/api/v1/account/activate", Body::Json(json!({"token": "not-a-link-token-0123456789", "password": USER_PASSWORD}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/api/v1/account/email/confirm", "/api/v1/account/email/confirm", Body::Json(json!({"token": "not-a-link-token-0123456789"}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/api/v1/account/links/renew", "/api/v1/account/links/renew", Body::Json(json!({"token": "not-a-link-token-0123456789"}))).rule(Public("an expired e-mailed link asks for a new one: its token is the right")),
        case(M::POST, "/api/v1/account/password-reset", "/api/v1/account/password-reset", Body::Json(json!({"email": "personne@example.org"}))).rule(Public("forgotten password: answers the same whether the address exists or not")),
        case(M::POST, "/api/v1/account/password-reset/confirm", "/api/v1/account/password-reset/confirm", Body::Json(json!({"token": "not-a-link-token-0123456789", "password": USER_PASSWORD}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::GET, "/api/v1/openapi.json", "/api/v1/openapi.json", Body::None).rule(Public("the API's description, the same for everyone")),
        case(M::GET, "/healthz", "/healthz", Body::None).rule(Public("health, for the reverse proxy and the supervisor")),
        // --- Forward authentication: asked by reverse proxies and browsers on the applications'
        // hosts; its own rules guard it (host cookie, registered hosts, single-use codes).
        case(M::GET, "/o/{slug}/forward-auth", "/o/amap-des-lilas/forward-auth", Body::None).rule(Public(FORWARD_CHECK)),
        case(M::GET, "/o/{slug}/forward-auth/start", "/o/amap-des-lilas/forward-auth/start?rd=https%3A%2F%2Fpirate.example.org%2F", Body::None).rule(Public(FORWARD_START)),
        case(M::GET, "/o/{slug}/forward-auth/callback", "/o/amap-des-lilas/forward-auth/callback?code=pas-un-code&rd=https%3A%2F%2Fpirate.example.org%2F", Body::None).rule(Public(FORWARD_CALLBACK)),
        case(M::GET, "/o/{slug}/forward-auth/sign-out", "/o/amap-des-lilas/forward-auth/sign-out", Body::None).rule(Public(FORWARD_SIGN_OUT)),
        // --- The API: one's own account.
        case(M::GET, "/api/v1/me", "/api/v1/me", Body::None).rule(Own("who am I, my rights, my organisation")),
        case(M::GET, "/api/v1/account/mfa", "/api/v1/account/mfa", Body::None).rule(Own("my two-factor state")),
        case(M::POST, "/api/v1/account/mfa/totp", "/api/v1/account/mfa/totp", Body::None).rule(Own("I start enrolling in two-factor")),
        case(M::POST, "/api/v1/account/mfa/totp/confirm", "/api/v1/account/mfa/totp/confirm", Body::Json(json!({"code": "000000"}))).rule(Own("I confirm my enrolment")),
        case(M::POST, "/api/v1/account/mfa/recovery-codes", "/api/v1/account/mfa/recovery-codes", Body::Json(json!({"password": USER_PASSWORD}))).rule(Own("my recovery codes")),
        case(M::POST, "/api/v1/account/mfa/totp/disable", "/api/v1/account/mfa/totp/disable", Body::Json(json!({"password": USER_PASSWORD}))).rule(Own("I turn my two-factor off")),
        case(M::GET, "/api/v1/account/notifications", "/api/v1/account/notifications", Body::None).rule(Own("the alerts I receive")),
        case(M::GET, "/api/v1/account/passkeys", "/api/v1/account/passkeys", Body::None).rule(Own("my passkeys")),
        case(M::POST, "/api/v1/account/passkeys/options", "/api/v1/account/passkeys/options", Body::None).rule(Own("I start registering a passkey of mine (a ceremony of mine)")),
        case(M::POST, "/api/v1/account/passkeys", "/api/v1/account/passkeys", Body::Json(json!({"ceremony": "pkc_not-a-ceremony", "credential": {}}))).rule(Own("I register a passkey of mine; here a malformed answer, refused")),
        case(M::PATCH, "/api/v1/account/passkeys/{id}", "/api/v1/account/passkeys/not-a-passkey", Body::Json(json!({"name": "Téléphone"}))).rule(Refused(StatusCode::NOT_FOUND, "renames only one's own passkeys: another's is as if it were not there")),
        case(M::POST, "/api/v1/account/passkeys/{id}/remove", "/api/v1/account/passkeys/not-a-passkey/remove", Body::Json(json!({"password": USER_PASSWORD}))).rule(Refused(StatusCode::NOT_FOUND, "removes only one's own passkeys: another's is as if it were not there")),
        case(M::PUT, "/api/v1/account/notifications", "/api/v1/account/notifications", Body::Json(json!({"alerts": [{"alert": "panier", "enabled": false}]}))).rule(Own("I choose the alerts I receive")),
        case(M::GET, "/api/v1/account/sessions", "/api/v1/account/sessions", Body::None).rule(Own("my sessions")),
        case(M::GET, "/api/v1/account/tokens", "/api/v1/account/tokens", Body::None).rule(Own("my API tokens")),
        case(M::GET, "/api/v1/account/apps", "/api/v1/account/apps", Body::None).rule(Own("the applications I allowed")),
        case(M::DELETE, "/api/v1/account/apps/{client_id}", format!("/api/v1/account/apps/{app}"), Body::None).rule(Refused(StatusCode::NOT_FOUND, "withdraws only one's own permission: an application one never allowed is as if it were not there")),
        case(M::POST, "/api/v1/account/tokens", "/api/v1/account/tokens", Body::Json(json!({"name": "script"}))).rule(Own("an API token of mine, carrying at most my rights (none)")),
        // Rémi asking for more than he holds: a token that may delete users, the alert of who joins.
        case(M::POST, "/api/v1/account/tokens", "/api/v1/account/tokens", Body::Json(json!({"name": "script", "permissions": ["users.delete"]}))),
        case(M::PUT, "/api/v1/account/notifications", "/api/v1/account/notifications", Body::Json(json!({"alerts": [{"alert": "member_joined", "enabled": true}]}))).rule(Refused(StatusCode::UNPROCESSABLE_ENTITY, "an alert type for holders of users.view only is, to him, one that does not exist")),
        case(M::DELETE, "/api/v1/account/tokens/{id}", format!("/api/v1/account/tokens/{}", ids.admin_token), Body::None).rule(Refused(StatusCode::NOT_FOUND, "the administrator's token: one's own tokens only, and another's is as if it did not exist")),
        case(M::DELETE, "/api/v1/account/sessions/{id}", format!("/api/v1/account/sessions/{}", ids.admin_session), Body::None).rule(Refused(StatusCode::NOT_FOUND, "the administrator's session: one's own sessions only, and another's is as if it did not exist")),
        // --- The API: rights needed.
        case(M::GET, "/api/v1/account/signature", "/api/v1/account/signature", Body::None),
        case(M::PUT, "/api/v1/account/signature", "/api/v1/account/signature", Body::Json(json!({"signature": "Rémi, trésorier"}))),
        case(M::GET, "/api/v1/permissions", "/api/v1/permissions", Body::None).rule(Signed("the fixed list of permission codes, the same in every organisation and in this document")),
        case(M::GET, "/api/v1/users", "/api/v1/users", Body::None),
        case(M::GET, "/api/v1/users", "/api/v1/users?q=cible", Body::None),
        case(M::POST, "/api/v1/users", "/api/v1/users", Body::Json(json!({"login": "intrus", "email": "intrus@example.org", "first_name": "Ivan", "last_name": "Trus", "roles": [], "send_invitation": false}))),
        case(M::POST, "/api/v1/users", "/api/v1/users", Body::Json(json!({"login": "intrus", "email": "intrus@example.org", "first_name": "Ivan", "last_name": "Trus", "roles": [{"role": "Administrateur"}], "send_invitation": true}))),
        case(M::GET, "/api/v1/users/{id}", format!("/api/v1/users/{t}"), Body::None),
        case(M::PATCH, "/api/v1/users/{id}", format!("/api/v1/users/{t}"), Body::Json(json!({"first_name": "Pirate", "email": "pirate@example.org"}))),
        // Rémi giving himself a role.
        case(M::PATCH, "/api/v1/users/{id}", format!("/api/v1/users/{remi}"), Body::Json(json!({"roles": [{"role": "Administrateur"}]}))),
        case(M::DELETE, "/api/v1/users/{id}", format!("/api/v1/users/{t}"), Body::None),
        case(M::POST, "/api/v1/users/{id}/disable", format!("/api/v1/users/{t}/disable"), Body::None),
        case(M::POST, "/api/v1/users/{id}/enable", format!("/api/v1/users/{disabled}/enable"), Body::None),
        case(M::POST, "/api/v1/users/{id}/invitation", format!("/api/v1/users/{t}/invitation"), Body::None),
        case(M::DELETE, "/api/v1/users/{id}/mfa", format!("/api/v1/users/{t}/mfa"), Body::None),
        case(M::POST, "/api/v1/users/{id}/mfa/grace", format!("/api/v1/users/{t}/mfa/grace"), Body::Json(json!({"days": 7}))),
        case(M::DELETE, "/api/v1/users/{id}/passkeys", format!("/api/v1/users/{t}/passkeys"), Body::None),
        case(M::GET, "/api/v1/users/{id}/sessions", format!("/api/v1/users/{t}/sessions"), Body::None),
        case(M::DELETE, "/api/v1/users/{id}/sessions", format!("/api/v1/users/{t}/sessions"), Body::None),
        case(M::GET, "/api/v1/users/{id}/notifications", format!("/api/v1/users/{t}/notifications"), Body::None),
        case(M::PUT, "/api/v1/users/{id}/notifications", format!("/api/v1/users/{t}/notifications"), Body::Json(json!({"alerts": [{"alert": "member_joined", "enabled": true}]}))),
        case(M::GET, "/api/v1/users/{id}/signature", format!("/api/v1/users/{t}/signature"), Body::None),
        case(M::PUT, "/api/v1/users/{id}/signature", format!("/api/v1/users/{t}/signature"), Body::Json(json!({"signature": "Pirate"}))),
        case(M::GET, "/api/v1/groups", "/api/v1/groups", Body::None).rule(Signed(GROUPS)),
        case(M::POST, "/api/v1/groups", "/api/v1/groups", Body::Json(json!({"name": "Groupe pirate"}))),
        case(M::GET, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::None).rule(Signed(GROUPS)),
        case(M::PATCH, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::Json(json!({"name": "Renommé"}))),
        case(M::DELETE, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::None),
        // Rémi adding himself to a group; removing its member.
        case(M::PUT, "/api/v1/groups/{id}/members/{user_id}", format!("/api/v1/groups/{g}/members/{remi}"), Body::None),
        case(M::DELETE, "/api/v1/groups/{id}/members/{user_id}", format!("/api/v1/groups/{g}/members/{t}"), Body::None),
        case(M::GET, "/api/v1/apps", "/api/v1/apps", Body::None),
        case(M::POST, "/api/v1/apps", "/api/v1/apps", Body::Json(json!({"name": "Appli pirate", "redirect_uris": ["https://pirate.example.org/cb"]}))),
        case(M::GET, "/api/v1/apps/{id}", format!("/api/v1/apps/{app}"), Body::None),
        case(M::PATCH, "/api/v1/apps/{id}", format!("/api/v1/apps/{app}"), Body::Json(json!({"redirect_uris": ["https://pirate.example.org/cb"]}))),
        case(M::DELETE, "/api/v1/apps/{id}", format!("/api/v1/apps/{app}"), Body::None),
        case(M::POST, "/api/v1/apps/{id}/secret", format!("/api/v1/apps/{app}/secret"), Body::None),
        case(M::GET, "/api/v1/roles", "/api/v1/roles", Body::None).rule(Signed(ROLES)),
        case(M::POST, "/api/v1/roles", "/api/v1/roles", Body::Json(json!({"name": "Rôle pirate", "permissions": ["users.view"]}))),
        case(M::PATCH, "/api/v1/roles/{id}", format!("/api/v1/roles/{r}"), Body::Json(json!({"name": "Renommé"}))),
        case(M::PATCH, "/api/v1/roles/{id}", format!("/api/v1/roles/{r}"), Body::Json(json!({"permissions": ["users.view", "users.delete"]}))),
        case(M::DELETE, "/api/v1/roles/{id}", format!("/api/v1/roles/{r}"), Body::None),
        case(M::GET, "/api/v1/settings", "/api/v1/settings", Body::None).rule(Signed("the organisation's settings: the same as /api/v1/me gives its members (its language, country, required fields)")),
        case(M::PATCH, "/api/v1/settings", "/api/v1/settings", Body::Json(json!({"name": "Pirates"}))),
        case(M::GET, "/api/v1/audit", "/api/v1/audit", Body::None),
        case(M::GET, "/api/v1/export", "/api/v1/export", Body::None),
        case(M::GET, "/api/v1/import/template", "/api/v1/import/template", Body::None),
        case(M::POST, "/api/v1/imports", "/api/v1/imports", Body::File),
        case(M::GET, "/api/v1/imports/{id}", format!("/api/v1/imports/{i}"), Body::None),
        case(M::GET, "/api/v1/imports/{id}/errors", format!("/api/v1/imports/{i}/errors"), Body::None),
        case(M::GET, "/api/v1/imports", "/api/v1/imports", Body::None),
        case(M::POST, "/api/v1/imports/{id}/undo", format!("/api/v1/imports/{i}/undo"), Body::Json(json!({"confirm": ["signed_in", "edited_since"]}))),
        case(M::GET, "/api/v1/outbox", "/api/v1/outbox", Body::None),
        case(M::GET, "/api/v1/outbox/{id}", format!("/api/v1/outbox/{o}"), Body::None),
        case(M::POST, "/api/v1/outbox/{id}/resend", format!("/api/v1/outbox/{o}/resend"), Body::None),
        case(M::GET, "/api/v1/invitations", "/api/v1/invitations", Body::None),
        case(M::POST, "/api/v1/invitations/resend", "/api/v1/invitations/resend", Body::Json(json!({"ids": [t]}))),
        case(M::POST, "/api/v1/invitations/resend", "/api/v1/invitations/resend", Body::Json(json!({"select": "all"}))),
        case(M::GET, "/api/v1/notifications/alerts", "/api/v1/notifications/alerts", Body::None).rule(Signed("the alert types, among which each person chooses their own")),
        case(M::POST, "/api/v1/notifications/alerts", "/api/v1/notifications/alerts", Body::Json(json!({"key": "pirate", "label_fr": "Pirate", "label_en": "Pirate", "group_filter": false}))),
        case(M::GET, "/api/v1/notifications/defaults", "/api/v1/notifications/defaults", Body::None).rule(Signed("what each alert does for those who never chose, which one's own choices start from")),
        case(M::PUT, "/api/v1/notifications/defaults", "/api/v1/notifications/defaults", Body::Json(json!({"defaults": [{"alert": "panier", "enabled": false}]}))),
        case(M::GET, "/api/v1/notifications/recipients", "/api/v1/notifications/recipients?alert=panier", Body::None),
        // --- The pages' open doors.
        case(M::GET, "/", "/", Body::None).rule(Public("the front door: sends to the sign-in page, or to what the person may see")),
        case(M::GET, "/assets/{name}", "/assets/sesame.css", Body::None).rule(Public("the stylesheet, the same for everyone")),
        case(M::GET, "/assets/{name}", "/assets/sesame.js", Body::None).rule(Public("the script, the same for everyone")),
        case(M::GET, "/assets/{name}", "/assets/passkeys.js", Body::None).rule(Public("the passkeys' script, the same for everyone")),
        case(M::POST, "/language", "/language", form(&[("lang", "en"), ("back", "/")])).rule(Public("the language switch: a cookie, and the signed-in person's own language")),
        case(M::GET, "/sign-in", "/sign-in", Body::None).rule(Public("the sign-in page")),
        case(M::POST, "/sign-in", "/sign-in", form(&[("login", ""), ("password", "")])).rule(Public("signing in is how one gets a right; here an empty form, refused before anything is looked up")),
        case(M::GET, "/sign-in/code", "/sign-in/code", Body::None).rule(Public("the second step of signing in, which its own cookie guards")),
        case(M::POST, "/sign-in/code", "/sign-in/code", form(&[("code", "000000")])).rule(Public("the second step of signing in, which its own cookie guards")),
        case(M::POST, "/sign-in/code/passkey/options", "/sign-in/code/passkey/options", Body::None).rule(Public("the second step of signing in with a passkey, which its own cookie guards")),
        case(M::POST, "/sign-in/code/passkey", "/sign-in/code/passkey", Body::Json(json!({"ceremony": "pkc_not-a-ceremony", "credential": {}}))).rule(Public("the second step of signing in with a passkey, which its own cookie guards")),
        case(M::GET, "/setup", "/setup", Body::None).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::POST, "/setup", "/setup", form(&[("email", "x@example.org"), ("password", USER_PASSWORD)])).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::GET, "/activate", "/activate", Body::None).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/activate", "/activate", form(&[("password", USER_PASSWORD), ("password_again", USER_PASSWORD)])).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::GET, "/password-reset", "/password-reset", Body::None).rule(Public("an e-mailed link, and the forgotten-password form: its one-time token is the right")),
        case(M::POST, "/password-reset", "/password-reset", form(&[("email", "personne@example.org")])).rule(Public("forgotten password: answers the same whether the address exists or not")),
        case(M::GET, "/confirm-email", "/confirm-email", Body::None).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/confirm-email", "/confirm-email", form(&[])).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/links/renew", "/links/renew", form(&[])).rule(Public("an expired e-mailed link asks for a new one: its token is the right")),
        // --- The OpenID Connect provider: the protocol's own rules guard it (client
        // credentials, registered redirect URIs, access tokens), not the permissions.
        case(M::GET, "/o/{slug}/.well-known/openid-configuration", "/o/amap-des-lilas/.well-known/openid-configuration", Body::None).rule(Public(OIDC_DOC)),
        case(M::GET, "/o/{slug}/jwks", "/o/amap-des-lilas/jwks", Body::None).rule(Public(OIDC_DOC)),
        case(M::GET, "/o/{slug}/authorize", "/o/amap-des-lilas/authorize?client_id=inconnu&redirect_uri=https%3A%2F%2Fpirate.example.org%2Fcb&response_type=code&scope=openid", Body::None).rule(Public(OIDC_AUTHORIZE)),
        case(M::POST, "/o/{slug}/authorize", "/o/amap-des-lilas/authorize", form(&[("client_id", "inconnu"), ("response_type", "code")])).rule(Public(OIDC_AUTHORIZE)),
        case(M::POST, "/o/{slug}/authorize/decision", "/o/amap-des-lilas/authorize/decision", form(&[("client_id", "inconnu"), ("decision", "allow")])).rule(Public(OIDC_AUTHORIZE)),
        case(M::POST, "/o/{slug}/token", "/o/amap-des-lilas/token", form(&[("grant_type", "authorization_code"), ("code", "pas-un-code")])).rule(Public(OIDC_CLIENT)),
        case(M::POST, "/o/{slug}/revoke", "/o/amap-des-lilas/revoke", form(&[("token", "pas-un-jeton")])).rule(Public(OIDC_CLIENT)),
        case(M::GET, "/o/{slug}/userinfo", "/o/amap-des-lilas/userinfo", Body::None).rule(Public(OIDC_BEARER)),
        case(M::POST, "/o/{slug}/userinfo", "/o/amap-des-lilas/userinfo", form(&[])).rule(Public(OIDC_BEARER)),
        case(M::OPTIONS, "/o/{slug}/token", "/o/amap-des-lilas/token", Body::None).rule(Public(OIDC_PREFLIGHT)),
        case(M::OPTIONS, "/o/{slug}/revoke", "/o/amap-des-lilas/revoke", Body::None).rule(Public(OIDC_PREFLIGHT)),
        case(M::OPTIONS, "/o/{slug}/userinfo", "/o/amap-des-lilas/userinfo", Body::None).rule(Public(OIDC_PREFLIGHT)),
        case(M::GET, "/o/{slug}/logout", "/o/amap-des-lilas/logout", Body::None).rule(Public(OIDC_LOGOUT)),
        case(M::POST, "/o/{slug}/logout", "/o/amap-des-lilas/logout", form(&[])).rule(Public(OIDC_LOGOUT)),
        // --- The pages: one's own account.
        case(M::GET, "/account", "/account", Body::None).rule(Own("my account")),
        case(M::POST, "/account", "/account", form(&[("first_name", "Rémi"), ("last_name", "Sansdroit"), ("phone", ""), ("language", "fr")])).rule(Own("I correct my name")),
        case(M::POST, "/account", "/account", form(&[("action", "password"), ("current_password", "not my password"), ("new_password", "un autre mot de passe long")])).rule(Own("I change my password (here with a wrong current one)")),
        case(M::GET, "/account/two-factor", "/account/two-factor", Body::None).rule(Own("my two-factor")),
        case(M::POST, "/account/two-factor", "/account/two-factor", form(&[("action", "start")])).rule(Own("I start enrolling in two-factor")),
        case(M::GET, "/account/two-factor/passkeys", "/account/two-factor/passkeys", Body::None).rule(Own("my passkeys")),
        case(M::POST, "/account/two-factor/passkeys/{id}/rename", "/account/two-factor/passkeys/not-a-passkey/rename", form(&[("name", "Téléphone")])).rule(Refused(StatusCode::NOT_FOUND, "renames only one's own passkeys: another's is as if it were not there")),
        case(M::POST, "/account/two-factor/passkeys/{id}/remove", "/account/two-factor/passkeys/not-a-passkey/remove", form(&[("password", USER_PASSWORD)])).rule(Refused(StatusCode::NOT_FOUND, "removes only one's own passkeys: another's is as if it were not there")),
        case(M::GET, "/account/notifications", "/account/notifications", Body::None).rule(Own("the alerts I receive")),
        case(M::POST, "/account/notifications", "/account/notifications", form(&[("on-panier", "off")])).rule(Own("I choose the alerts I receive")),
        // --- The pages: rights needed.
        case(M::GET, "/account/signature", "/account/signature", Body::None),
        case(M::POST, "/account/signature", "/account/signature", form(&[("signature", "Rémi, trésorier")])),
        case(M::GET, "/users", "/users", Body::None),
        case(M::GET, "/users/new", "/users/new", Body::None),
        case(M::POST, "/users/new", "/users/new", form(&[("login", "intrus"), ("email", "intrus@example.org"), ("first_name", "Ivan"), ("last_name", "Trus"), ("phone", "+33 6 12 34 56 78")])),
        case(M::POST, "/users/new", "/users/new", form(&[("login", "intrus"), ("email", "intrus@example.org"), ("first_name", "Ivan"), ("last_name", "Trus"), ("phone", "+33 6 12 34 56 78"), ("give", admin_role), ("send_invitation", "on")])),
        case(M::GET, "/users/suggest-login", "/users/suggest-login?first_name=Ivan&last_name=Trus", Body::None),
        case(M::GET, "/users/{id}", format!("/users/{t}"), Body::None),
        case(M::GET, "/users/{id}", format!("/users/{t}?tab=access"), Body::None),
        case(M::GET, "/import", "/import", Body::None),
        case(M::POST, "/import", "/import", Body::File),
        case(M::GET, "/import/{id}", format!("/import/{i}"), Body::None),
        case(M::POST, "/import/{id}/apply", format!("/import/{i}/apply"), form(&[("send_invitations", "on")])),
        case(M::POST, "/import/{id}/apply-valid", format!("/import/{i}/apply-valid"), form(&[("send_invitations", "on")])),
        case(M::GET, "/imports", "/imports", Body::None),
        case(M::GET, "/imports/{id}/undo", format!("/imports/{i}/undo"), Body::None),
        case(M::POST, "/imports/{id}/undo", format!("/imports/{i}/undo"), form(&[("confirm_signed_in", "on"), ("confirm_edited_since", "on")])),
        case(M::GET, "/groups", "/groups", Body::None).rule(Signed(GROUPS)),
        case(M::POST, "/groups", "/groups", form(&[("name", "Groupe pirate")])),
        case(M::GET, "/groups/{id}", format!("/groups/{g}"), Body::None).rule(Signed(GROUPS)),
        case(M::GET, "/apps", "/apps", Body::None),
        case(M::GET, "/apps/new", "/apps/new", Body::None),
        case(M::POST, "/apps/new", "/apps/new", form(&[("name", "Appli pirate"), ("redirect_uris", "https://pirate.example.org/cb")])),
        case(M::GET, "/apps/{id}", format!("/apps/{app}"), Body::None),
        case(M::POST, "/apps/{id}/save", format!("/apps/{app}/save"), form(&[("name", "Nextcloud"), ("redirect_uris", "https://pirate.example.org/cb")])),
        case(M::POST, "/apps/{id}/secret", format!("/apps/{app}/secret"), form(&[])),
        case(M::POST, "/apps/{id}/delete", format!("/apps/{app}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/apps/{id}/delete", format!("/apps/{app}/delete"), form(&[])),
        case(M::GET, "/roles", "/roles", Body::None).rule(Signed(ROLES)),
        case(M::GET, "/roles/new", "/roles/new", Body::None),
        case(M::POST, "/roles/new", "/roles/new", form(&[("name", "Rôle pirate"), ("permissions", "users.view")])),
        case(M::GET, "/roles/{id}", format!("/roles/{r}"), Body::None).rule(Signed(ROLES)),
        case(M::GET, "/settings", "/settings", Body::None),
        case(M::POST, "/settings", "/settings", form(&[("name", "Pirates"), ("language", "fr"), ("country", "FR")])),
        case(M::GET, "/audit", "/audit", Body::None),
        case(M::GET, "/audit/export", "/audit/export", Body::None),
        case(M::GET, "/emails", "/emails", Body::None),
        case(M::POST, "/emails/{id}/resend", format!("/emails/{o}/resend"), form(&[])),
        case(M::GET, "/invitations", "/invitations", Body::None),
        case(M::POST, "/invitations/resend", "/invitations/resend", form(&[("select", "all")])),
        case(M::POST, "/invitations/resend", "/invitations/resend", form(&[("id", t)])),
        // The actions of a user's page.
        case(M::POST, "/users/{id}/notifications", format!("/users/{t}/notifications"), form(&[("on-member_joined", "on")])),
        case(M::POST, "/users/{id}/signature", format!("/users/{t}/signature"), form(&[("signature", "Pirate")])),
        case(M::POST, "/users/{id}/profile", format!("/users/{t}/profile"), form(&[("first_name", "Pirate"), ("last_name", "Pirate")])),
        case(M::POST, "/users/{id}/login", format!("/users/{t}/login"), form(&[("login", "pirate"), ("email", "pirate@example.org")])),
        case(M::POST, "/users/{id}/roles", format!("/users/{t}/roles"), form(&[("give", member_role)])),
        // Rémi giving himself a role.
        case(M::POST, "/users/{id}/roles", format!("/users/{remi}/roles"), form(&[("give", admin_role)])),
        case(M::POST, "/users/{id}/send-access", format!("/users/{t}/send-access"), form(&[])),
        case(M::POST, "/users/{id}/end-sessions", format!("/users/{t}/end-sessions"), form(&[])),
        case(M::POST, "/users/{id}/reset-two-factor", format!("/users/{t}/reset-two-factor"), form(&[])),
        case(M::POST, "/users/{id}/remove-passkeys", format!("/users/{t}/remove-passkeys"), form(&[])),
        case(M::POST, "/users/{id}/extend-two-factor", format!("/users/{t}/extend-two-factor"), form(&[("days", "7")])),
        case(M::POST, "/users/{id}/disable", format!("/users/{t}/disable"), form(&[])),
        case(M::POST, "/users/{id}/enable", format!("/users/{disabled}/enable"), form(&[])),
        case(M::POST, "/users/{id}/delete", format!("/users/{t}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/users/{id}/delete", format!("/users/{t}/delete"), form(&[])),
        // The actions of a group's page.
        case(M::POST, "/groups/{id}/save", format!("/groups/{g}/save"), form(&[("name", "Renommé")])),
        case(M::POST, "/groups/{id}/add-member", format!("/groups/{g}/add-member"), form(&[("member", "remi")])),
        case(M::POST, "/groups/{id}/remove-member", format!("/groups/{g}/remove-member"), form(&[("user", t)])),
        case(M::POST, "/groups/{id}/delete", format!("/groups/{g}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/groups/{id}/delete", format!("/groups/{g}/delete"), form(&[])).rule(Refused(StatusCode::UNPROCESSABLE_ENTITY, UNCONFIRMED)),
        // The actions of a role's page.
        case(M::POST, "/roles/{id}/save", format!("/roles/{r}/save"), form(&[("name", "Renommé"), ("permissions", "users.delete")])),
        case(M::POST, "/roles/{id}/delete", format!("/roles/{r}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/roles/{id}/delete", format!("/roles/{r}/delete"), form(&[])).rule(Refused(StatusCode::UNPROCESSABLE_ENTITY, UNCONFIRMED)),
    ];
    // Last, what ends sessions (Rémi signs in again after each).
    c.extend([
        case(
            M::DELETE,
            "/api/v1/account/sessions/{id}",
            format!("/api/v1/account/sessions/{}", ids.remi_browser_session),
            Body::None,
        )
        .rule(Own("I end one of my sessions")),
        case(
            M::DELETE,
            "/api/v1/account/sessions",
            "/api/v1/account/sessions",
            Body::None,
        )
        .rule(Own("I end my other sessions")),
        case(
            M::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout",
            Body::None,
        )
        .rule(Own("I sign out")),
        case(M::POST, "/sign-out", "/sign-out", form(&[])).rule(Public(
            "signing out: nobody is sent to the sign-in page, the signed-in end their own session",
        )),
    ]);
    c
}
