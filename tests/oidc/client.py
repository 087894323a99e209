"""Sésame's OpenID Connect provider driven by an independent client: Authlib.

Usage: python client.py PHASE STATE.json

STATE.json holds what the Rust test set up (the issuer, the applications, the people) and what
each phase leaves for the next (tokens, cookies, a code left unredeemed). The phases:

- flow: discovery; code + PKCE with a confidential client through Sésame's own sign-in and
  consent pages (a `requests` session plays the browser); the ID token verified against the
  JWKS (iss, aud, exp, nonce, at_hash); userinfo by GET and POST; refresh rotation; single
  sign-on into a second (public, trusted) application without a password; and the negative
  cases: unknown redirect URI (no redirect), response_type=token, missing and wrong
  code_verifier, a code reused (what it gave is revoked), the code of client A redeemed by B,
  a wrong secret (401 with WWW-Authenticate), prompt=none without a session, PKCE required of a
  public client, an application closed to the person (page, and access_denied).
- after: once the Rust side expired a code, aged a rotated refresh token past its grace window,
  disabled a person and rotated the keys: each is refused as it should be, the ID token signed
  before the rotation still verifies, and new ones carry the new `kid`.
- logout: an unregistered post-logout URI gets no redirect; RP-initiated logout with
  id_token_hint goes back with `state`, and the tokens stop working.
- logout_token TOKEN: the back-channel logout token received by the Rust side verifies
  (typ, iss, aud, events, sid, sub, no nonce).

Prints a line per check; exits non-zero at the first surprise.
"""

import base64
import hashlib
import json
import re
import secrets
import sys
import time
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken

TIMEOUT = 30


def ok(what):
    print(f"ok   {what}", flush=True)


def fail(what):
    sys.exit(f"FAIL {what}")


def expect(what, got, want):
    if got != want:
        fail(f"{what}: expected {want!r}, got {got!r}")
    ok(what)


def check(what, cond, detail=""):
    if not cond:
        fail(f"{what} {detail}")
    ok(what)


class Browser:
    """A person's browser: a cookie jar, Sésame's forms filled in as a person would."""

    def __init__(self, base, cookies=None):
        self.base = base
        self.s = requests.Session()
        self.s.headers["Accept-Language"] = "fr"
        for name, value in (cookies or {}).items():
            self.s.cookies.set(name, value)

    def cookies(self):
        return {c.name: c.value for c in self.s.cookies}

    def get(self, url):
        return self.s.get(url if url.startswith("http") else self.base + url, allow_redirects=False, timeout=TIMEOUT)

    def post(self, path, data):
        return self.s.post(self.base + path, data=data, allow_redirects=False, timeout=TIMEOUT)

    def csrf(self, html):
        m = re.search(r'name="csrf" value="([^"]+)"', html)
        if not m:
            fail("a form without its CSRF field")
        return m.group(1)

    def authorize(self, url, login=None, password=None, consent=True):
        """Follows an authorization request through sign-in and consent to the application's
        redirect; answers the final response (a redirect away from Sésame, or a page)."""
        r = self.get(url)
        for _ in range(10):
            if r.status_code not in (302, 303):
                break
            loc = r.headers["Location"]
            if not loc.startswith("/") and not loc.startswith(self.base):
                return r
            path = urlparse(loc)
            if path.path == "/sign-in":
                if login is None:
                    return r
                page = self.get(loc)
                q = parse_qs(path.query)
                r = self.post("/sign-in", {
                    "csrf": self.csrf(page.text),
                    "login": login,
                    "password": password,
                    "org": q.get("org", [""])[0],
                    "next": q.get("next", ["/"])[0],
                })
                continue
            r = self.get(loc)
        if r.status_code == 200 and 'id="consent-form"' in r.text:
            if not consent:
                return r
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', r.text))
            fields = {k: html_unescape(v) for k, v in fields.items()}
            fields["decision"] = "allow"
            action = re.search(r'<form method="post" action="([^"]+)" id="consent-form">', r.text).group(1)
            r = self.post(action, fields)
            if r.status_code in (302, 303) and r.headers["Location"].startswith("/"):
                r = self.get(r.headers["Location"])
        return r


def html_unescape(v):
    import html

    return html.unescape(v)


def code_of(r, what):
    if r.status_code not in (302, 303):
        fail(f"{what}: expected a redirect with a code, got {r.status_code}: {r.text[:300]}")
    q = parse_qs(urlparse(r.headers["Location"]).query)
    if "code" not in q:
        fail(f"{what}: no code in {r.headers['Location']}")
    return q


def error_of(r, what):
    if r.status_code not in (302, 303):
        fail(f"{what}: expected a redirect with an error, got {r.status_code}: {r.text[:300]}")
    return parse_qs(urlparse(r.headers["Location"]).query)


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def auth_url(conf, app, extra=None, challenge=None):
    params = {
        "client_id": app["client_id"],
        "redirect_uri": app["redirect_uri"],
        "response_type": "code",
        "scope": "openid profile email phone groups roles",
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
    }
    if challenge:
        params["code_challenge"] = challenge
        params["code_challenge_method"] = "S256"
    params.update(extra or {})
    return conf["authorization_endpoint"] + "?" + urlencode(params), params


def token_call(conf, app, data, auth="basic"):
    if auth == "basic" and app.get("client_secret"):
        return requests.post(conf["token_endpoint"], data=data, auth=(app["client_id"], app["client_secret"]), timeout=TIMEOUT)
    data = dict(data, client_id=app["client_id"])
    if auth == "post" and app.get("client_secret"):
        data["client_secret"] = app["client_secret"]
    return requests.post(conf["token_endpoint"], data=data, timeout=TIMEOUT)


def jwks(conf):
    return JsonWebKey.import_key_set(requests.get(conf["jwks_uri"], timeout=TIMEOUT).json())


def verify_id_token(conf, st, app, id_token, nonce, access_token):
    claims = JsonWebToken(["RS256", "EdDSA"]).decode(
        id_token,
        jwks(conf),
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": st["issuer"]}},
        claims_params={"nonce": nonce, "client_id": app["client_id"], "access_token": access_token},
    )
    claims.validate()  # iss, aud, exp, iat, nonce, at_hash
    return claims


def kid_of(jwt):
    head = jwt.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]


def phase_flow(st):
    base = st["base"]
    conf = requests.get(st["issuer"] + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
    expect("discovery: issuer", conf["issuer"], st["issuer"])
    check("discovery: code flow and S256 only", conf["response_types_supported"] == ["code"] and conf["code_challenge_methods_supported"] == ["S256"])
    st["conf"] = conf
    a, b, p, restricted = st["apps"]["a"], st["apps"]["b"], st["apps"]["public"], st["apps"]["restricted"]
    lea, paul, zoe = st["people"]["lea"], st["people"]["paul"], st["people"]["zoe"]

    # The whole flow, through Authlib's client with PKCE.
    verifier = secrets.token_urlsafe(48)
    client = OAuth2Session(a["client_id"], a["client_secret"], scope="openid profile email phone groups roles",
                           redirect_uri=a["redirect_uri"], code_challenge_method="S256",
                           token_endpoint_auth_method="client_secret_basic")
    nonce = secrets.token_urlsafe(12)
    url, state = client.create_authorization_url(conf["authorization_endpoint"], nonce=nonce, code_verifier=verifier)
    browser = Browser(base)
    r = browser.authorize(url, lea["login"], lea["password"])
    q = code_of(r, "sign-in and consent lead back with a code")
    expect("state comes back", q["state"][0], state)
    expect("iss comes back (RFC 9207)", q["iss"][0], st["issuer"])
    token = client.fetch_token(conf["token_endpoint"], authorization_response=r.headers["Location"], code_verifier=verifier)
    check("a refresh token comes with the tokens", bool(token.get("refresh_token")))
    claims = verify_id_token(conf, st, a, token["id_token"], nonce, token["access_token"])
    ok("ID token verified against the JWKS (iss, aud, exp, nonce, at_hash)")
    expect("sub is the person's id, not the login", claims["sub"], lea["id"])
    expect("preferred_username", claims["preferred_username"], lea["login"])
    expect("email", claims["email"], lea["email"])
    check("groups by name", "Bureau" in claims["groups"], str(claims.get("groups")))
    check("roles by name with their group", any(x.get("name") for x in claims["roles"]), str(claims.get("roles")))
    check("amr says a password", "pwd" in claims["amr"], str(claims.get("amr")))
    check("sid and auth_time", bool(claims.get("sid")) and claims["auth_time"] <= time.time() + 5)
    expect("the ID token is RS256 for this client", json.loads(base64.urlsafe_b64decode(token["id_token"].split(".")[0] + "==="))["alg"], "RS256")
    info = client.get(conf["userinfo_endpoint"]).json()
    for k in ["sub", "preferred_username", "name", "email", "groups", "roles", "phone_number"]:
        expect(f"userinfo (GET) has the ID token's {k}", info.get(k), claims.get(k))
    info_post = requests.post(conf["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]}, timeout=TIMEOUT).json()
    expect("userinfo by POST", info_post["sub"], lea["id"])
    nobody = requests.get(conf["userinfo_endpoint"], headers={"Authorization": "Bearer nope"}, timeout=TIMEOUT)
    expect("userinfo with a wrong token: 401", nobody.status_code, 401)
    check("… with WWW-Authenticate invalid_token", 'error="invalid_token"' in nobody.headers.get("WWW-Authenticate", ""))

    # Refresh rotation: a new refresh token each time; the old one within the grace window
    # still works (a client refreshing twice at once).
    old_refresh = token["refresh_token"]
    r1 = token_call(conf, a, {"grant_type": "refresh_token", "refresh_token": old_refresh}, auth="post")
    expect("refresh (client_secret_post)", r1.status_code, 200)
    new = r1.json()
    check("the refresh token rotated", new["refresh_token"] != old_refresh)
    check("the refreshed ID token verifies", bool(JsonWebToken(["RS256"]).decode(new["id_token"], jwks(conf))))
    r2 = token_call(conf, a, {"grant_type": "refresh_token", "refresh_token": old_refresh})
    expect("the old refresh token within the grace window", r2.status_code, 200)
    st["lea"] = {"old_refresh": old_refresh, "refresh": r2.json()["refresh_token"], "id_token": token["id_token"],
                 "access": r2.json()["access_token"], "sid": claims["sid"], "kid": kid_of(token["id_token"])}

    # Single sign-on: a second application, public and trusted, without a password or consent.
    v, c = pkce()
    url, params = auth_url(conf, p, challenge=c)
    r = browser.authorize(url)  # no login given: a sign-in page would stop here
    q = code_of(r, "single sign-on into a second application, no password asked")
    t = token_call(conf, p, {"grant_type": "authorization_code", "code": q["code"][0], "redirect_uri": p["redirect_uri"], "code_verifier": v})
    expect("a public client redeems with its verifier and no secret", t.status_code, 200)
    verify_id_token(conf, st, p, t.json()["id_token"], params["nonce"], t.json()["access_token"])
    ok("the public client's ID token verifies (EdDSA if it asked)")
    st["lea"]["public_alg"] = json.loads(base64.urlsafe_b64decode(t.json()["id_token"].split(".")[0] + "==="))["alg"]

    # Negative cases of the authorization endpoint.
    url, _ = auth_url(conf, a, {"redirect_uri": "https://evil.example/cb"})
    r = browser.get(url)
    check("unknown redirect URI: an error page, never a redirect", r.status_code == 400 and "Location" not in r.headers, str(r.status_code))
    url, params = auth_url(conf, a, {"response_type": "token"})
    q = error_of(browser.get(url), "response_type=token")
    expect("response_type=token is refused", q["error"][0], "unsupported_response_type")
    expect("… with the state", q["state"][0], params["state"])
    url, _ = auth_url(conf, p)
    expect("a public client without PKCE", error_of(browser.get(url), "public without PKCE")["error"][0], "invalid_request")
    url, _ = auth_url(conf, a, {"prompt": "none"})
    expect("prompt=none without a session", error_of(Browser(base).get(url), "prompt=none")["error"][0], "login_required")
    r = Browser(base).get(url.replace("prompt=none", "prompt=login"))
    check("without a session, the sign-in page", r.status_code in (302, 303) and "/sign-in" in r.headers["Location"])

    # Codes: verifier missing or wrong, reuse, another client's code.
    def fresh_code(app=a, challenge=None):
        url, _ = auth_url(conf, app, challenge=challenge)
        return code_of(browser.authorize(url), "a fresh code")["code"][0]

    v, c = pkce()
    code = fresh_code(challenge=c)
    bad = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("missing code_verifier", bad.json().get("error"), "invalid_grant")
    v, c = pkce()
    code = fresh_code(challenge=c)
    bad = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"], "code_verifier": pkce()[0]})
    expect("wrong code_verifier", bad.json().get("error"), "invalid_grant")
    code = fresh_code()
    first = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("a confidential client may skip PKCE", first.status_code, 200)
    again = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("a code used twice", again.json().get("error"), "invalid_grant")
    gone = requests.get(conf["userinfo_endpoint"], headers={"Authorization": "Bearer " + first.json()["access_token"]}, timeout=TIMEOUT)
    expect("… revokes what its first use gave", gone.status_code, 401)
    code = fresh_code()
    other = token_call(conf, b, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("client A's code redeemed by client B", other.json().get("error"), "invalid_grant")
    mine = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("… and A can still redeem it", mine.status_code, 200)
    wrong = token_call(conf, dict(a, client_secret="not-the-secret"), {"grant_type": "authorization_code", "code": fresh_code(), "redirect_uri": a["redirect_uri"]})
    expect("a wrong secret: 401", wrong.status_code, 401)
    check("… with WWW-Authenticate", wrong.headers.get("WWW-Authenticate", "").startswith("Basic"))
    expect("… invalid_client", wrong.json().get("error"), "invalid_client")
    st["unredeemed_code"] = fresh_code()

    # An application kept for a group the person is not in.
    zb = Browser(base)
    url, _ = auth_url(conf, restricted)
    page = zb.authorize(url, zoe["login"], zoe["password"])
    check("an application closed to the person: a page that says so", page.status_code == 403 and 'id="no-access"' in page.text, str(page.status_code))
    url, _ = auth_url(conf, restricted, {"prompt": "none"})
    expect("… and access_denied with prompt=none", error_of(zb.get(url), "no access")["error"][0], "access_denied")

    # Zoe allows application B, sees it under My account, withdraws it: its tokens end.
    url, _ = auth_url(conf, b)
    code = code_of(zb.authorize(url), "zoe allows B")["code"][0]
    t = token_call(conf, b, {"grant_type": "authorization_code", "code": code, "redirect_uri": b["redirect_uri"]}).json()
    mine = zb.get("/api/v1/account/apps").json()
    check("My account lists the application allowed", [x["client_id"] for x in mine] == [b["client_id"]], str(mine))
    gone = zb.s.delete(base + "/api/v1/account/apps/" + b["client_id"], timeout=TIMEOUT)
    expect("withdrawing it", gone.status_code, 204)
    r = token_call(conf, b, {"grant_type": "refresh_token", "refresh_token": t["refresh_token"]})
    expect("… ends its refresh token", r.json().get("error"), "invalid_grant")
    r = requests.get(conf["userinfo_endpoint"], headers={"Authorization": "Bearer " + t["access_token"]}, timeout=TIMEOUT)
    expect("… and its access token", r.status_code, 401)
    page = zb.authorize(auth_url(conf, b)[0], consent=False)
    check("… and it asks again next time", page.status_code == 200 and 'id="consent-form"' in page.text)

    # Paul's tokens, to be refused once he is disabled.
    pb = Browser(base)
    url, _ = auth_url(conf, a)
    code = code_of(pb.authorize(url, paul["login"], paul["password"]), "paul's code")["code"][0]
    t = token_call(conf, a, {"grant_type": "authorization_code", "code": code, "redirect_uri": a["redirect_uri"]})
    expect("paul's tokens", t.status_code, 200)
    st["paul"] = {"refresh": t.json()["refresh_token"]}
    st["cookies"] = browser.cookies()
    print("phase flow passed")


def phase_after(st):
    conf = st["conf"]
    a = st["apps"]["a"]
    r = token_call(conf, a, {"grant_type": "authorization_code", "code": st["unredeemed_code"], "redirect_uri": a["redirect_uri"]})
    expect("an expired code", r.json().get("error"), "invalid_grant")
    r = token_call(conf, a, {"grant_type": "refresh_token", "refresh_token": st["lea"]["old_refresh"]})
    expect("a rotated refresh token replayed after the grace window", r.json().get("error"), "invalid_grant")
    r = token_call(conf, a, {"grant_type": "refresh_token", "refresh_token": st["lea"]["refresh"]})
    expect("… revoked its whole family", r.json().get("error"), "invalid_grant")
    r = token_call(conf, a, {"grant_type": "refresh_token", "refresh_token": st["paul"]["refresh"]})
    expect("a disabled person's refresh token", r.json().get("error"), "invalid_grant")
    keys = jwks(conf)
    JsonWebToken(["RS256"]).decode(st["lea"]["id_token"], keys)
    ok("an ID token signed before the key rotation still verifies")
    browser = Browser(st["base"], st["cookies"])
    url, params = auth_url(conf, a)
    q = code_of(browser.authorize(url), "signed in still, a new code")
    t = token_call(conf, a, {"grant_type": "authorization_code", "code": q["code"][0], "redirect_uri": a["redirect_uri"]}).json()
    verify_id_token(conf, st, a, t["id_token"], params["nonce"], t["access_token"])
    check("new ID tokens carry the new kid", kid_of(t["id_token"]) != st["lea"]["kid"], kid_of(t["id_token"]))
    st["lea"]["id_token"] = t["id_token"]
    st["lea"]["nonce"] = params["nonce"]
    st["lea"]["access"] = t["access_token"]
    print("phase after passed")


def phase_logout(st):
    conf = st["conf"]
    a = st["apps"]["a"]
    browser = Browser(st["base"], st["cookies"])
    r = browser.get(conf["end_session_endpoint"] + "?" + urlencode({"client_id": a["client_id"], "post_logout_redirect_uri": "https://evil.example/bye"}))
    check("an unregistered post-logout URI: no redirect", r.status_code == 200 and "Location" not in r.headers, str(r.status_code))
    state = secrets.token_urlsafe(8)
    r = browser.get(conf["end_session_endpoint"] + "?" + urlencode({
        "id_token_hint": st["lea"]["id_token"], "post_logout_redirect_uri": a["post_logout_uri"], "state": state}))
    check("RP-initiated logout goes back to the registered address", r.status_code in (302, 303), str(r.status_code))
    loc = r.headers["Location"]
    check("… the registered one, with the state", loc.startswith(a["post_logout_uri"]) and parse_qs(urlparse(loc).query)["state"][0] == state, loc)
    gone = requests.get(conf["userinfo_endpoint"], headers={"Authorization": "Bearer " + st["lea"]["access"]}, timeout=TIMEOUT)
    expect("after the logout, the access token no longer opens userinfo", gone.status_code, 401)
    url, _ = auth_url(conf, a, {"prompt": "none"})
    expect("… and the session is gone", error_of(Browser(st["base"], st["cookies"]).get(url), "after logout")["error"][0], "login_required")
    print("phase logout passed")


def phase_logout_token(st, tokens):
    """TOKENS: every logout token received, comma-separated: Lea's (signed out) and Paul's
    (disabled) are among them."""
    conf = st["conf"]
    keys = jwks(conf)
    by_sub = {}
    for t in tokens.split(","):
        c = JsonWebToken(["RS256", "EdDSA"]).decode(t, keys)
        by_sub[c["sub"]] = t
    check("a disabled person's application session is logged out too", st["people"]["paul"]["id"] in by_sub)
    token = by_sub.get(st["people"]["lea"]["id"]) or fail("no logout token for lea")
    head = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==="))
    expect("logout token typ", head.get("typ"), "logout+jwt")
    claims = JsonWebToken(["RS256", "EdDSA"]).decode(token, jwks(conf))
    claims.validate()
    expect("logout token iss", claims["iss"], st["issuer"])
    expect("logout token aud", claims["aud"], st["apps"]["a"]["client_id"])
    check("logout token events", "http://schemas.openid.net/event/backchannel-logout" in claims["events"])
    expect("logout token sid", claims["sid"], st["lea"]["sid"])
    expect("logout token sub", claims["sub"], st["people"]["lea"]["id"])
    check("logout token has no nonce", "nonce" not in claims)
    check("logout token has a jti", bool(claims.get("jti")))
    print("phase logout_token passed")


def main():
    phase, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        st = json.load(f)
    if phase == "flow":
        phase_flow(st)
    elif phase == "after":
        phase_after(st)
    elif phase == "logout":
        phase_logout(st)
    elif phase == "logout_token":
        phase_logout_token(st, sys.argv[3])
    else:
        fail(f"unknown phase {phase}")
    with open(path, "w") as f:
        json.dump(st, f)


if __name__ == "__main__":
    main()
