//! Every route of the server, tried by someone who should get nowhere: nobody (no cookie, no
//! token), then Rémi, an active member of the organisation who holds no role at all (a bearer
//! token for the API; a browser session with a valid CSRF token for the pages, so that a
//! refusal is the policy's, not the CSRF check's).
//!
//! - An API route answers nobody 401 and Rémi 403, as `application/problem+json`.
//! - A page answers nobody with a redirect (303) to the sign-in page, which comes back to it
//!   (`/sign-in?next=…`), for a form sent (POST) as for a page read (GET); and Rémi with 403.
//! - Nothing changes: every table is read before and after each call (see [`Tables`]).
//! - A few routes are open to anyone ([`Rule::Public`]) or to anyone signed in for their own
//!   things ([`Rule::Own`]), each with why; what they change is the caller's own rows only.
//! - Paths carry real ids (a user, a group, a role, an import, an e-mail of the outbox, made by
//!   the administrator first) and bodies are valid, so that neither a 404 nor a 422 can hide a
//!   missing check; where a 404 is the right answer ([`Rule::Refused`]), the case says why.
//!
//! The list cannot drift: the cases must cover exactly the routes served — every path and
//! method of the OpenAPI document the server serves, and [`sesame_server::unlisted_routes`] for
//! the rest (read from the tables the router is built from) — and exactly the actions the
//! pages' `/{id}/{action}` routes accept (read from their source, see [`actions_in_source`]).

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;
use std::collections::{BTreeMap, BTreeSet};

/// Any value of 32 characters or more is a CSRF token, as long as the form carries the same.
const CSRF: &str = "csrf-token-of-the-route-test-0123456789";

/// What a route promises to someone without rights.
#[derive(Clone, Copy, Debug)]
enum Rule {
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
enum Body {
    None,
    Json(Value),
    /// A page's form, to which the CSRF field is added.
    Form(Vec<(&'static str, String)>),
    /// A spreadsheet to import: multipart, with the CSRF field first for the pages.
    File,
}

#[derive(Debug)]
struct Case {
    method: Method,
    /// The route as the server lists it (`/api/v1/users/{id}`).
    route: &'static str,
    /// The path called, with real ids and a query.
    path: String,
    body: Body,
    rule: Rule,
}

fn case(method: Method, route: &'static str, path: impl Into<String>, body: Body) -> Case {
    Case {
        method,
        route,
        path: path.into(),
        body,
        rule: Rule::Right,
    }
}

impl Case {
    fn rule(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }

    fn is_api(&self) -> bool {
        self.route.starts_with("/api/")
    }
}

fn form(fields: &[(&'static str, &str)]) -> Body {
    Body::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// A spreadsheet with one new member, as an administrator would import it.
const CSV: &str = "Courriel;Prénom;Nom\nintrus@example.org;Ivan;Trus\n";

/// The ids the administrator made, for the paths.
struct Ids {
    /// An active member with a role in a group and a session of her own.
    target: String,
    /// A disabled member (to enable).
    disabled: String,
    /// Rémi, who holds no right.
    remi: String,
    group: String,
    role: String,
    admin_role: String,
    /// Amapien: a role without any permission.
    member_role: String,
    import: String,
    outbox: String,
    admin_token: String,
    admin_session: String,
    /// Rémi's browser session (to end it through the API).
    remi_browser_session: String,
}

/// Why Rémi may read the groups.
const GROUPS: &str = "group names and sizes are not secret inside the organisation (the app reads them for anyone signed in); who is in them is shown only with users.view";

/// Why Rémi may read the roles.
const ROLES: &str = "role names and what they allow, as the app reads them for anyone signed in (a person's own page names their roles)";

/// Why a deletion sent without its confirmation box answers 422 to Rémi.
const UNCONFIRMED: &str = "the missing confirmation is said before the right is checked; nothing changes, and the page shown again is the one anyone signed in may read";

/// Every route, once at least; the generic actions once each. Bodies ask for what needs one
/// right only (a new member without a role, not invited), so that no other check could stand
/// in for a missing one; attempts to grant oneself more come as cases of their own.
fn cases(ids: &Ids) -> Vec<Case> {
    use Method as M;
    use Rule::*;
    let Ids {
        target: t,
        disabled,
        remi,
        group: g,
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
        case(M::POST, "/api/v1/setup", "/api/v1/setup", Body::Json(json!({"token": "not-the-setup-token-0123456789", "email": "x@example.org", "password": USER_PASSWORD}))).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::POST, "/api/v1/account/activate", "/api/v1/account/activate", Body::Json(json!({"token": "not-a-link-token-0123456789", "password": USER_PASSWORD}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/api/v1/account/email/confirm", "/api/v1/account/email/confirm", Body::Json(json!({"token": "not-a-link-token-0123456789"}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/api/v1/account/links/renew", "/api/v1/account/links/renew", Body::Json(json!({"token": "not-a-link-token-0123456789"}))).rule(Public("an expired e-mailed link asks for a new one: its token is the right")),
        case(M::POST, "/api/v1/account/password-reset", "/api/v1/account/password-reset", Body::Json(json!({"email": "personne@example.org"}))).rule(Public("forgotten password: answers the same whether the address exists or not")),
        case(M::POST, "/api/v1/account/password-reset/confirm", "/api/v1/account/password-reset/confirm", Body::Json(json!({"token": "not-a-link-token-0123456789", "password": USER_PASSWORD}))).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::GET, "/api/v1/openapi.json", "/api/v1/openapi.json", Body::None).rule(Public("the API's description, the same for everyone")),
        case(M::GET, "/healthz", "/healthz", Body::None).rule(Public("health, for the reverse proxy and the supervisor")),
        // --- The API: one's own account.
        case(M::GET, "/api/v1/me", "/api/v1/me", Body::None).rule(Own("who am I, my rights, my organisation")),
        case(M::GET, "/api/v1/account/mfa", "/api/v1/account/mfa", Body::None).rule(Own("my two-factor state")),
        case(M::POST, "/api/v1/account/mfa/totp", "/api/v1/account/mfa/totp", Body::None).rule(Own("I start enrolling in two-factor")),
        case(M::POST, "/api/v1/account/mfa/totp/confirm", "/api/v1/account/mfa/totp/confirm", Body::Json(json!({"code": "000000"}))).rule(Own("I confirm my enrolment")),
        case(M::POST, "/api/v1/account/mfa/recovery-codes", "/api/v1/account/mfa/recovery-codes", Body::Json(json!({"password": USER_PASSWORD}))).rule(Own("my recovery codes")),
        case(M::POST, "/api/v1/account/mfa/totp/disable", "/api/v1/account/mfa/totp/disable", Body::Json(json!({"password": USER_PASSWORD}))).rule(Own("I turn my two-factor off")),
        case(M::GET, "/api/v1/account/notifications", "/api/v1/account/notifications", Body::None).rule(Own("the alerts I receive")),
        case(M::PUT, "/api/v1/account/notifications", "/api/v1/account/notifications", Body::Json(json!({"alerts": [{"alert": "panier", "enabled": false}]}))).rule(Own("I choose the alerts I receive")),
        case(M::GET, "/api/v1/account/sessions", "/api/v1/account/sessions", Body::None).rule(Own("my sessions")),
        case(M::GET, "/api/v1/account/tokens", "/api/v1/account/tokens", Body::None).rule(Own("my API tokens")),
        case(M::POST, "/api/v1/account/tokens", "/api/v1/account/tokens", Body::Json(json!({"name": "script"}))).rule(Own("an API token of mine, carrying at most my rights (none)")),
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
        case(M::GET, "/api/v1/users/{id}/sessions", format!("/api/v1/users/{t}/sessions"), Body::None),
        case(M::DELETE, "/api/v1/users/{id}/sessions", format!("/api/v1/users/{t}/sessions"), Body::None),
        case(M::GET, "/api/v1/groups", "/api/v1/groups", Body::None).rule(Signed(GROUPS)),
        case(M::POST, "/api/v1/groups", "/api/v1/groups", Body::Json(json!({"name": "Groupe pirate"}))),
        case(M::GET, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::None).rule(Signed(GROUPS)),
        case(M::PATCH, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::Json(json!({"name": "Renommé"}))),
        case(M::DELETE, "/api/v1/groups/{id}", format!("/api/v1/groups/{g}"), Body::None),
        // Rémi adding himself to a group; removing its member.
        case(M::PUT, "/api/v1/groups/{id}/members/{user_id}", format!("/api/v1/groups/{g}/members/{remi}"), Body::None),
        case(M::DELETE, "/api/v1/groups/{id}/members/{user_id}", format!("/api/v1/groups/{g}/members/{t}"), Body::None),
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
        case(M::GET, "/api/v1/outbox", "/api/v1/outbox", Body::None),
        case(M::GET, "/api/v1/outbox/{id}", format!("/api/v1/outbox/{o}"), Body::None),
        case(M::POST, "/api/v1/outbox/{id}/resend", format!("/api/v1/outbox/{o}/resend"), Body::None),
        case(M::GET, "/api/v1/notifications/alerts", "/api/v1/notifications/alerts", Body::None).rule(Signed("the alert types, among which each person chooses their own")),
        case(M::POST, "/api/v1/notifications/alerts", "/api/v1/notifications/alerts", Body::Json(json!({"key": "pirate", "label_fr": "Pirate", "label_en": "Pirate", "group_filter": false}))),
        case(M::GET, "/api/v1/notifications/defaults", "/api/v1/notifications/defaults", Body::None).rule(Signed("what each alert does for those who never chose, which one's own choices start from")),
        case(M::PUT, "/api/v1/notifications/defaults", "/api/v1/notifications/defaults", Body::Json(json!({"defaults": [{"alert": "panier", "enabled": false}]}))),
        case(M::GET, "/api/v1/notifications/recipients", "/api/v1/notifications/recipients?alert=panier", Body::None),
        // --- The pages' open doors.
        case(M::GET, "/", "/", Body::None).rule(Public("the front door: sends to the sign-in page, or to what the person may see")),
        case(M::GET, "/assets/{name}", "/assets/sesame.css", Body::None).rule(Public("the stylesheet, the same for everyone")),
        case(M::GET, "/assets/{name}", "/assets/sesame.js", Body::None).rule(Public("the script, the same for everyone")),
        case(M::POST, "/language", "/language", form(&[("lang", "en"), ("back", "/")])).rule(Public("the language switch: a cookie, and the signed-in person's own language")),
        case(M::GET, "/sign-in", "/sign-in", Body::None).rule(Public("the sign-in page")),
        case(M::POST, "/sign-in", "/sign-in", form(&[("login", ""), ("password", "")])).rule(Public("signing in is how one gets a right; here an empty form, refused before anything is looked up")),
        case(M::GET, "/sign-in/code", "/sign-in/code", Body::None).rule(Public("the second step of signing in, which its own cookie guards")),
        case(M::POST, "/sign-in/code", "/sign-in/code", form(&[("code", "000000")])).rule(Public("the second step of signing in, which its own cookie guards")),
        case(M::GET, "/setup", "/setup", Body::None).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::POST, "/setup", "/setup", form(&[("email", "x@example.org"), ("password", USER_PASSWORD)])).rule(Public("the first administrator's setup, which its one-time token guards")),
        case(M::GET, "/activate", "/activate", Body::None).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/activate", "/activate", form(&[("password", USER_PASSWORD), ("password_again", USER_PASSWORD)])).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::GET, "/password-reset", "/password-reset", Body::None).rule(Public("an e-mailed link, and the forgotten-password form: its one-time token is the right")),
        case(M::POST, "/password-reset", "/password-reset", form(&[("email", "personne@example.org")])).rule(Public("forgotten password: answers the same whether the address exists or not")),
        case(M::GET, "/confirm-email", "/confirm-email", Body::None).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/confirm-email", "/confirm-email", form(&[])).rule(Public("an e-mailed link: its one-time token is the right")),
        case(M::POST, "/links/renew", "/links/renew", form(&[])).rule(Public("an expired e-mailed link asks for a new one: its token is the right")),
        // --- The pages: one's own account.
        case(M::GET, "/account", "/account", Body::None).rule(Own("my account")),
        case(M::POST, "/account", "/account", form(&[("first_name", "Rémi"), ("last_name", "Sansdroit"), ("phone", ""), ("language", "fr")])).rule(Own("I correct my name")),
        case(M::POST, "/account", "/account", form(&[("action", "password"), ("current_password", "not my password"), ("new_password", "un autre mot de passe long")])).rule(Own("I change my password (here with a wrong current one)")),
        case(M::GET, "/account/two-factor", "/account/two-factor", Body::None).rule(Own("my two-factor")),
        case(M::POST, "/account/two-factor", "/account/two-factor", form(&[("action", "start")])).rule(Own("I start enrolling in two-factor")),
        case(M::GET, "/account/notifications", "/account/notifications", Body::None).rule(Own("the alerts I receive")),
        case(M::POST, "/account/notifications", "/account/notifications", form(&[("on-panier", "off")])).rule(Own("I choose the alerts I receive")),
        // --- The pages: rights needed.
        case(M::GET, "/account/signature", "/account/signature", Body::None),
        case(M::POST, "/account/signature", "/account/signature", form(&[("signature", "Rémi, trésorier")])),
        case(M::GET, "/users", "/users", Body::None),
        case(M::GET, "/users/new", "/users/new", Body::None),
        case(M::POST, "/users/new", "/users/new", form(&[("login", "intrus"), ("email", "intrus@example.org"), ("first_name", "Ivan"), ("last_name", "Trus"), ("phone", "+33 6 12 34 56 78")])),
        case(M::POST, "/users/new", "/users/new", form(&[("login", "intrus"), ("email", "intrus@example.org"), ("first_name", "Ivan"), ("last_name", "Trus"), ("phone", "+33 6 12 34 56 78"), ("roles", admin_role), ("send_invitation", "on")])),
        case(M::GET, "/users/suggest-login", "/users/suggest-login?first_name=Ivan&last_name=Trus", Body::None),
        case(M::GET, "/users/{id}", format!("/users/{t}"), Body::None),
        case(M::GET, "/users/{id}", format!("/users/{t}?tab=access"), Body::None),
        case(M::GET, "/import", "/import", Body::None),
        case(M::POST, "/import", "/import", Body::File),
        case(M::GET, "/import/{id}", format!("/import/{i}"), Body::None),
        case(M::POST, "/import/{id}/apply", format!("/import/{i}/apply"), form(&[("send_invitations", "on")])),
        case(M::GET, "/groups", "/groups", Body::None).rule(Signed(GROUPS)),
        case(M::POST, "/groups", "/groups", form(&[("name", "Groupe pirate")])),
        case(M::GET, "/groups/{id}", format!("/groups/{g}"), Body::None).rule(Signed(GROUPS)),
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
        // The actions of a user's page.
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/profile"), form(&[("first_name", "Pirate"), ("last_name", "Pirate")])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/login"), form(&[("login", "pirate"), ("email", "pirate@example.org")])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/roles"), form(&[("roles", member_role)])),
        // Rémi giving himself a role.
        case(M::POST, "/users/{id}/{action}", format!("/users/{remi}/roles"), form(&[("roles", admin_role)])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/send-access"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/end-sessions"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/reset-two-factor"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/disable"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{disabled}/enable"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/delete"), form(&[])),
        case(M::POST, "/users/{id}/{action}", format!("/users/{t}/promote"), form(&[])).rule(Refused(StatusCode::NOT_FOUND, "an action the page does not know: 404 to anyone signed in")),
        // The actions of a group's page.
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/save"), form(&[("name", "Renommé")])),
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/add-member"), form(&[("member", "remi")])),
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/remove-member"), form(&[("user", t)])),
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/delete"), form(&[])).rule(Refused(StatusCode::UNPROCESSABLE_ENTITY, UNCONFIRMED)),
        case(M::POST, "/groups/{id}/{action}", format!("/groups/{g}/promote"), form(&[])).rule(Refused(StatusCode::NOT_FOUND, "an action the page does not know: 404 to anyone signed in")),
        // The actions of a role's page.
        case(M::POST, "/roles/{id}/{action}", format!("/roles/{r}/save"), form(&[("name", "Renommé"), ("permissions", "users.delete")])),
        case(M::POST, "/roles/{id}/{action}", format!("/roles/{r}/delete"), form(&[("confirm", "on")])),
        case(M::POST, "/roles/{id}/{action}", format!("/roles/{r}/delete"), form(&[])).rule(Refused(StatusCode::UNPROCESSABLE_ENTITY, UNCONFIRMED)),
        case(M::POST, "/roles/{id}/{action}", format!("/roles/{r}/promote"), form(&[])).rule(Refused(StatusCode::NOT_FOUND, "an action the page does not know: 404 to anyone signed in")),
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

/// Someone's way in: a bearer token for the API, a session cookie for the pages.
struct Caller {
    token: Option<String>,
    cookie: Option<String>,
}

/// An answer, read whole.
struct Got {
    status: StatusCode,
    content_type: String,
    location: String,
    body: String,
}

async fn call(s: &Server, http: &reqwest::Client, who: &Caller, c: &Case) -> Got {
    let mut req = http.request(c.method.clone(), format!("{}{}", s.base, c.path));
    let mut cookies = Vec::new();
    if c.is_api() {
        if let Some(t) = &who.token {
            req = req.bearer_auth(t);
        }
    } else {
        // Nobody carries a valid CSRF token too: a refusal must be the policy's.
        cookies.push(format!("sesame_csrf={CSRF}"));
        if let Some(k) = &who.cookie {
            cookies.push(k.clone());
        }
    }
    if !cookies.is_empty() {
        req = req.header("Cookie", cookies.join("; "));
    }
    req = match &c.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Form(fields) => {
            let mut all = vec![("csrf", CSRF.to_string())];
            all.extend(fields.iter().cloned());
            req.header("Content-Type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&all).expect("form"))
        }
        Body::File => {
            let mut f = reqwest::multipart::Form::new();
            if !c.is_api() {
                f = f.text("csrf", CSRF);
            }
            f = f.part(
                "file",
                reqwest::multipart::Part::bytes(CSV.as_bytes().to_vec()).file_name("membres.csv"),
            );
            if c.is_api() {
                f = f.text("dry_run", "false");
            }
            req.multipart(f)
        }
    };
    let r = req.send().await.expect("request");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, location) = (header("content-type"), header("location"));
    Got {
        status: r.status(),
        content_type,
        location,
        body: r.text().await.unwrap_or_default(),
    }
}

/// Columns a live server changes by itself, left out of the comparison: when a session or
/// token was last used (each request), and the outbox's delivery state (its worker, beside the
/// server).
const VOLATILE: &[(&str, &str)] = &[
    ("tokens", "last_used_at"),
    ("tokens", "last_source"),
    ("outbox", "state"),
    ("outbox", "attempts"),
    ("outbox", "next_attempt_at"),
    ("outbox", "claimed_until"),
    ("outbox", "last_error"),
    ("outbox", "sent_at"),
];

/// The brute-force counters (by address, by account): an open door that can be knocked on
/// counts the knocks, for anyone. The only change a public route may make for nobody.
const THROTTLE: &str = "sign_in_failures:";

/// Every row of every table, as text: what "nothing changed" compares. Read through the
/// store's own pool, in one query built once from the database's catalogue, so that a table
/// added later is compared too.
struct Tables(String);

/// A snapshot: each row as `table: value|value|…`, with how many times it is there.
type Rows = BTreeMap<String, usize>;

impl Tables {
    async fn of(s: &Server) -> Self {
        use sqlx::Row;
        let pool = s.app.store.pool();
        let postgres = s.app.store.backend() == sesame_store::Backend::Postgres;
        let columns = if postgres {
            sqlx::query("SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
        } else {
            sqlx::query("SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid")
        }
        .fetch_all(pool)
        .await
        .expect("the catalogue");
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &columns {
            let (t, c) = (r.get::<String, _>("t"), r.get::<String, _>("c"));
            if t == "_sqlx_migrations" || VOLATILE.contains(&(t.as_str(), c.as_str())) {
                continue;
            }
            let quoted = if postgres {
                format!("quote_nullable(\"{c}\")")
            } else {
                format!("quote(\"{c}\")")
            };
            tables.entry(t).or_default().push(quoted);
        }
        assert!(
            tables.contains_key("users"),
            "the catalogue lists the tables"
        );
        let selects: Vec<String> = tables
            .iter()
            .map(|(t, cols)| {
                format!(
                    "SELECT '{t}: ' || {} AS r FROM \"{t}\"",
                    cols.join(" || '|' || ")
                )
            })
            .collect();
        Tables(selects.join(" UNION ALL "))
    }

    async fn read(&self, s: &Server) -> Rows {
        use sqlx::Row;
        let mut out = Rows::new();
        for r in sqlx::query(sqlx::AssertSqlSafe(self.0.clone()))
            .fetch_all(s.app.store.pool())
            .await
            .expect("every row")
        {
            *out.entry(r.get::<String, _>("r")).or_default() += 1;
        }
        out
    }
}

/// The rows that differ between two snapshots, as `table: - row` or `table: + row`.
fn changes(before: &Rows, after: &Rows) -> Vec<String> {
    let mut out = Vec::new();
    for (row, n) in before {
        if after.get(row).unwrap_or(&0) < n {
            out.push(row.replacen(": ", ": - ", 1));
        }
    }
    for (row, n) in after {
        if before.get(row).unwrap_or(&0) < n {
            out.push(row.replacen(": ", ": + ", 1));
        }
    }
    out
}

/// The actions a page's `act` handler accepts: the string arms of its `match action.as_str()`,
/// read from the source, because a handler that string-matches cannot list them otherwise.
fn actions_in_source(file: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../server/src/web")
        .join(file);
    let source = std::fs::read_to_string(&path).expect("the handler's source");
    let start = source
        .find("async fn act(")
        .and_then(|at| source[at..].find("match action.as_str() {").map(|m| at + m))
        .unwrap_or_else(|| panic!("no `match action.as_str()` in {file}'s act"));
    let end = start + source[start..].find("\n    };").expect("the match's end");
    let mut out = BTreeSet::new();
    for line in source[start..end].lines() {
        let arm = line.trim_start();
        if line.len() - arm.len() != 8 || !arm.starts_with('"') || !arm.contains("=>") {
            continue;
        }
        let pattern = arm.split("=>").next().unwrap_or("");
        let pattern = pattern.split(" if ").next().unwrap_or("");
        for name in pattern.split('|') {
            out.insert(name.trim().trim_matches('"').to_string());
        }
    }
    assert!(!out.is_empty(), "no action read from {file}");
    out
}

/// The server adds routes only through its tables (which [`sesame_server::unlisted_routes`]
/// lists) and through the OpenAPI router (whose document lists them): no `.route(` of a path of
/// its own, no nested router or service, which the listing could not see.
fn assert_no_route_outside_the_tables() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("server sources") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("source");
                for (at, _) in source.match_indices(".route(") {
                    if !source[at + ".route(".len()..].starts_with("r.path, r.to)") {
                        out.push(format!(
                            "{}: .route({}",
                            path.display(),
                            &source[at + 7..].chars().take(40).collect::<String>()
                        ));
                    }
                }
                for call in [
                    ".route_service(",
                    ".nest(",
                    ".nest_service(",
                    ".fallback_service(",
                ] {
                    if source.contains(call) {
                        out.push(format!("{}: {call}", path.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "routes outside the tables, which the test over every route cannot see: {found:#?}"
    );
}

/// The cases cover exactly the routes served, and the generic routes exactly their actions.
fn assert_every_route_covered(openapi: &Value, cases: &[Case]) {
    let mut served: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, ops) in openapi["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let api = served.len();
    for (method, path) in sesame_server::unlisted_routes() {
        assert!(
            served.insert((method.clone(), path.to_string())),
            "{method} {path} is listed twice"
        );
    }
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes served but not tried here: {missing:?}; add a case (and say why if it is open)"
    );
    let stale: Vec<_> = covered.difference(&served).collect();
    assert!(stale.is_empty(), "cases for routes not served: {stale:?}");
    eprintln!(
        "{} routes: {api} of the API, {} others",
        served.len(),
        served.len() - api
    );
    for c in cases {
        let (kind, why) = match c.rule {
            Rule::Right => continue,
            Rule::Public(why) => ("open to anyone".to_string(), why),
            Rule::Own(why) => ("one's own".to_string(), why),
            Rule::Signed(why) => ("signed in".to_string(), why),
            Rule::Refused(status, why) => (status.as_str().to_string(), why),
        };
        eprintln!("  {kind:14} {} {}: {why}", c.method, c.path);
    }

    for (route, file) in [
        ("/users/{id}/{action}", "users.rs"),
        ("/groups/{id}/{action}", "groups.rs"),
        ("/roles/{id}/{action}", "roles.rs"),
    ] {
        let prefix = route.split("/{").next().unwrap_or("");
        let tried: BTreeSet<String> = cases
            .iter()
            .filter(|c| c.route == route && matches!(c.rule, Rule::Right))
            .filter_map(|c| c.path.rsplit('/').next().map(String::from))
            .collect();
        let accepted = actions_in_source(file);
        assert_eq!(
            tried, accepted,
            "the actions of {route} tried here and those {file} accepts"
        );
        assert!(
            cases.iter().any(|c| c.route == route
                && matches!(c.rule, Rule::Refused(StatusCode::NOT_FOUND, _))
                && !accepted.contains(c.path.rsplit('/').next().unwrap_or(""))),
            "an unknown action of {prefix} is tried too"
        );
    }
}

/// What is wrong with an answer, if anything, against the rule of its route.
fn wrong_answer(c: &Case, by_nobody: bool, got: &Got) -> Option<String> {
    let short: String = got.body.chars().take(300).collect();
    let what = format!(
        "{} {} by {}: {} {} {short}",
        c.method,
        c.path,
        if by_nobody { "nobody" } else { "Rémi" },
        got.status,
        got.location
    );
    let problem_json = got.content_type == "application/problem+json";
    let ok = match (c.rule, by_nobody) {
        (Rule::Public(_), _) => got.status.as_u16() < 500,
        // Nobody at the API: 401. At a page that needs someone: the sign-in page, which comes
        // back here.
        (_, true) if c.is_api() => got.status == StatusCode::UNAUTHORIZED && problem_json,
        (_, true) => {
            got.status == StatusCode::SEE_OTHER && got.location.starts_with("/sign-in?next=")
        }
        (Rule::Right, false) => {
            got.status == StatusCode::FORBIDDEN && (problem_json || !c.is_api())
        }
        (Rule::Refused(status, _), false) => got.status == status && (problem_json || !c.is_api()),
        (Rule::Own(_) | Rule::Signed(_), false) if c.method == Method::GET => {
            got.status == StatusCode::OK
        }
        (Rule::Own(_) | Rule::Signed(_), false) => {
            got.status.as_u16() < 500 && got.status != StatusCode::FORBIDDEN
        }
    };
    let leaked: Vec<&str> = OTHERS
        .iter()
        .copied()
        .filter(|e| got.body.contains(e))
        .collect();
    if !leaked.is_empty() {
        return Some(format!("{what}: shows {leaked:?}"));
    }
    (!ok).then_some(what)
}

/// The addresses of the other people: no answer to nobody or Rémi shows them.
const OTHERS: &[&str] = &[
    "admin@example.org",
    "cible@example.org",
    "endormi@example.org",
    "invitee@example.org",
];

/// What a call may not have changed, if it did: nothing at all, but the caller's own rows
/// where the rule allows, and the brute-force counters on public routes.
fn wrong_changes(c: &Case, by_nobody: bool, remi: &str, changed: Vec<String>) -> Option<String> {
    let wrong: Vec<String> = changed
        .into_iter()
        .filter(|r| !(matches!(c.rule, Rule::Public(_)) && r.starts_with(THROTTLE)))
        .filter(|r| {
            by_nobody || !matches!(c.rule, Rule::Public(_) | Rule::Own(_)) || !r.contains(remi)
        })
        .collect();
    (!wrong.is_empty()).then(|| {
        format!(
            "{} {} by {} changed: {wrong:#?}",
            c.method,
            c.path,
            if by_nobody { "nobody" } else { "Rémi" }
        )
    })
}

struct Setup {
    ids: Ids,
    remi: Caller,
    admin: String,
}

/// Signs Rémi in twice, as a script and as a browser, and returns the browser session's id.
async fn sign_remi_in(s: &Server) -> (Caller, String) {
    let token = s.login("remi", USER_PASSWORD).await;
    let browser = s.sign_in("remi", USER_PASSWORD, None).await;
    assert_eq!(browser.status, StatusCode::OK, "{}", browser.body);
    let cookie = browser
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let sessions = s.get("/api/v1/account/sessions", &token).await;
    let browser_session = sessions
        .body
        .as_array()
        .expect("sessions")
        .iter()
        .find(|x| x["current"] != true)
        .and_then(|x| x["id"].as_str())
        .expect("the browser's session")
        .to_string();
    (
        Caller {
            token: Some(token),
            cookie: Some(cookie),
        },
        browser_session,
    )
}

/// The administrator sets up what the paths name.
async fn set_up(s: &Server) -> Setup {
    let admin = s.init(Profile::Amap).await;
    let made = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "Lieu de distribution"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let group = made.body["id"].as_str().expect("id").to_string();
    let made = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Bénévole", "permissions": ["users.view"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let role = made.body["id"].as_str().expect("id").to_string();
    let roles = s.get("/api/v1/roles", &admin).await;
    let role_id = |name: &str| {
        roles
            .body
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("the role {name}"))
            .to_string()
    };
    let (admin_role, member_role) = (role_id("Administrateur"), role_id("Amapien"));
    let registered = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "panier", "label_fr": "Panier prêt", "label_en": "Basket ready", "group_filter": true}),
        )
        .await;
    assert!(registered.status.is_success(), "{}", registered.body);

    let (target, target_token) = s
        .user_with_roles(
            &admin,
            "cible",
            json!([{"role": "Amapien"}, {"role": "Bénévole", "group": "Lieu de distribution"}]),
        )
        .await;
    let joined = s
        .call(
            Method::PUT,
            &format!("/api/v1/groups/{group}/members/{target}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(joined.status.is_success(), "{}", joined.body);
    drop(target_token);
    let (disabled, _) = s.user_with_roles(&admin, "endormi", json!([])).await;
    let off = s
        .post(
            &format!("/api/v1/users/{disabled}/disable"),
            &admin,
            json!({}),
        )
        .await;
    assert!(off.status.is_success(), "{}", off.body);
    let (remi, _) = s.user_with_roles(&admin, "remi", json!([])).await;

    // An invitation in the outbox.
    let invited = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "invitee", "email": "invitee@example.org", "first_name": "Ina", "last_name": "Vitée", "roles": [], "send_invitation": true}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let outbox = s.get("/api/v1/outbox", &admin).await;
    let outbox = outbox.body["items"]
        .as_array()
        .or(outbox.body.as_array())
        .and_then(|l| l.first())
        .and_then(|m| m["id"].as_str())
        .unwrap_or_else(|| panic!("an e-mail in the outbox: {}", outbox.body))
        .to_string();

    // A dry run, done.
    let up = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(&admin)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(CSV.as_bytes().to_vec()).file_name("membres.csv"),
        ))
        .send()
        .await
        .expect("upload");
    assert_eq!(up.status(), StatusCode::OK);
    let job: Value = up.json().await.expect("job");
    assert_eq!(job["state"], "done", "{job}");
    let import = job["id"].as_str().expect("id").to_string();

    let token = s
        .post(
            "/api/v1/account/tokens",
            &admin,
            json!({"name": "site web"}),
        )
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{}", token.body);
    let admin_token = token.body["id"].as_str().expect("id").to_string();
    let sessions = s.get("/api/v1/account/sessions", &admin).await;
    let admin_session = sessions.body[0]["id"].as_str().expect("id").to_string();

    let (remi_caller, remi_browser_session) = sign_remi_in(s).await;
    Setup {
        ids: Ids {
            target,
            disabled,
            remi,
            group,
            role,
            admin_role,
            member_role,
            import,
            outbox,
            admin_token,
            admin_session,
            remi_browser_session,
        },
        remi: remi_caller,
        admin,
    }
}

async fn nobody_and_a_person_without_rights_get_nowhere(db: &Db) {
    let s = Server::start(db).await;
    let Setup {
        ids,
        mut remi,
        admin,
    } = set_up(&s).await;
    let openapi = s
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(openapi.status, StatusCode::OK);
    let cases = cases(&ids);
    assert_no_route_outside_the_tables();
    assert_every_route_covered(&openapi.body, &cases);

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let nobody = Caller {
        token: None,
        cookie: None,
    };
    let tables = Tables::of(&s).await;
    let mut wrong = Vec::new();
    for c in &cases {
        for by_nobody in [true, false] {
            let before = tables.read(&s).await;
            let got = call(&s, &http, if by_nobody { &nobody } else { &remi }, c).await;
            let after = tables.read(&s).await;
            wrong.extend(wrong_answer(c, by_nobody, &got));
            wrong.extend(wrong_changes(
                c,
                by_nobody,
                &ids.remi,
                changes(&before, &after),
            ));
        }
        // What ended his sessions: he signs in again.
        let api = s
            .get("/api/v1/me", remi.token.as_deref().unwrap_or(""))
            .await;
        let page = call(
            &s,
            &http,
            &remi,
            &case(Method::GET, "/account", "/account", Body::None),
        )
        .await;
        if api.status != StatusCode::OK || page.status != StatusCode::OK {
            remi = sign_remi_in(&s).await.0;
        }
    }
    assert!(wrong.is_empty(), "{} wrong: {wrong:#?}", wrong.len());

    // The administrator still sees the target as she was.
    let target = s
        .get(&format!("/api/v1/users/{}", ids.target), &admin)
        .await;
    assert_eq!(target.status, StatusCode::OK);
    assert_eq!(target.body["login"], "cible");
    s.stop().await;
}

on_every_database!(
    every_route_refuses_nobody_and_the_rightless,
    nobody_and_a_person_without_rights_get_nowhere
);
