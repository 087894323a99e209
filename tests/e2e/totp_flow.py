"""Two-factor sign-in driven from outside, with pyotp as the authenticator app.

Usage: python totp_flow.py BASE_URL LOGIN PASSWORD

Against a running Sésame whose LOGIN has PASSWORD and no two-factor yet: enrols an
authenticator from the otpauth:// link, signs in with a code, checks that the same code is
refused the second time, and that a recovery code works exactly once. Prints one line per
step; exits non-zero at the first surprise. Only the standard library and pyotp.
"""

import json
import sys
import time
import urllib.error
import urllib.request

import pyotp


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Accept-Language", "en")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def expect(what, got, want):
    if got != want:
        sys.exit(f"FAIL {what}: expected {want!r}, got {got!r}")
    print(f"ok   {what}")


def main():
    base, login, password = sys.argv[1:4]

    status, signed = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password})
    expect("sign in with the password alone", status, 200)
    token = signed["token"]

    status, enrolment = call(base, "POST", "/api/v1/account/mfa/totp", {}, token)
    expect("start enrolment", status, 201)
    totp = pyotp.parse_uri(enrolment["otpauth_uri"])
    expect("the link holds the secret shown", totp.secret, enrolment["secret"])
    expect("the secret is 160 bits (32 base32 characters)", len(enrolment["secret"]), 32)
    expect("six digits, 30 seconds", (totp.digits, totp.interval), (6, 30))
    expect("the QR code is an SVG", enrolment["qr_svg"].lstrip().startswith(("<?xml", "<svg")), True)

    now = time.time()
    status, codes = call(base, "POST", "/api/v1/account/mfa/totp/confirm", {"code": totp.at(now)}, token)
    expect("confirm with the app's current code", status, 200)
    recovery = codes["recovery_codes"]
    expect("ten recovery codes", len(recovery), 10)

    status, problem = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password})
    expect("the password alone is no longer enough", status, 401)
    expect("the problem says two-factor is required", problem["type"], "urn:sesame:problem:mfa-required")

    # The confirmation used this step's code: the next step's (one step of skew) signs in.
    code = totp.at(now + 30)
    status, _ = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password, "totp": code})
    expect("sign in with a code", status, 200)
    status, problem = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password, "totp": code})
    expect("the same code is refused the second time", status, 401)
    expect("as a replay", problem["errors"][0]["code"], "mfa.code_reused")

    status, problem = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password, "totp": "12345"})
    expect("a code of the wrong length is refused", (status, problem["errors"][0]["code"]), (401, "mfa.code_malformed"))

    status, _ = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password, "totp": recovery[0]})
    expect("a recovery code signs in", status, 200)
    status, problem = call(base, "POST", "/api/v1/auth/login", {"login": login, "password": password, "totp": recovery[0]})
    expect("the same recovery code is refused the second time", (status, problem["type"]), (401, "urn:sesame:problem:mfa-required"))
    print("pyotp end-to-end: all steps passed")


if __name__ == "__main__":
    main()
