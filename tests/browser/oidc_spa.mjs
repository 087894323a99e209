// A single-page application signs its people in with Sésame from the browser: a public client
// with PKCE whose pages are served from another origin (a small HTTP server of this script's,
// on another loopback port) and which calls the token and userinfo endpoints
// with fetch. Chromium enforces CORS for real: the token exchange (a form POST) and userinfo
// (a bearer header, so a preflight first) must be allowed across origins, and Sésame's own API
// must stay closed to that page. Run by tests/it/oidc_spa.rs, which writes STATE.json:
//
//   { "issuer": "http://127.0.0.1:P/o/slug", "sesame": "http://127.0.0.1:P",
//     "spa": "http://127.0.0.1:Q", "client_id": "…", "login": "…", "password": "…" }
//
// Usage: node tests/browser/oidc_spa.mjs STATE.json (a line per check; non-zero at the first
// failure)

import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { chromium } from "playwright-core";

const state = JSON.parse(readFileSync(process.argv[2], "utf8"));
const CHROMIUM = process.env.SESAME_CHROMIUM || "/usr/bin/chromium";
const SPA = state.spa;
const REDIRECT = `${SPA}/callback`;

function check(cond, what) {
  if (!cond) {
    console.error(`FAIL ${what}`);
    throw new Error(what);
  }
  console.log(`ok   ${what}`);
}

const b64url = (buf) => buf.toString("base64url");
// PKCE (RFC 7636): made here, the page only carries it.
const verifier = b64url(randomBytes(32));
const challenge = b64url(createHash("sha256").update(verifier).digest());
const stateParam = b64url(randomBytes(12));

// The application's callback page: it redeems the code and reads userinfo, as a real
// single-page application does, and leaves what happened in `window.result`.
const callbackPage = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>SPA</title></head>
<body><main><h1>Application</h1></main><script>
(async () => {
  const result = {};
  try {
    const q = new URLSearchParams(location.search);
    result.state = q.get("state");
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: q.get("code") || "",
      redirect_uri: ${JSON.stringify(REDIRECT)},
      client_id: ${JSON.stringify(state.client_id)},
      code_verifier: ${JSON.stringify(verifier)},
    });
    result.step = "token";
    const t = await fetch(${JSON.stringify(`${state.issuer}/token`)}, { method: "POST", body: form });
    result.token_status = t.status;
    const tokens = await t.json();
    result.has_id_token = typeof tokens.id_token === "string";
    result.step = "userinfo";
    const u = await fetch(${JSON.stringify(`${state.issuer}/userinfo`)}, {
      headers: { Authorization: "Bearer " + tokens.access_token },
    });
    result.userinfo_status = u.status;
    result.userinfo = await u.json();
    result.step = "userinfo with a bad token";
    const bad = await fetch(${JSON.stringify(`${state.issuer}/userinfo`)}, {
      headers: { Authorization: "Bearer not-a-token" },
    });
    result.refused_status = bad.status;
    result.refused_challenge = bad.headers.get("WWW-Authenticate");
    result.step = "the API";
    try {
      await fetch(${JSON.stringify(`${state.sesame}/api/v1/me`)}, {
        headers: { Authorization: "Bearer " + tokens.access_token },
      });
      result.api_open = true;
    } catch (e) {
      result.api_open = false;
    }
  } catch (e) {
    result.error = \`\${result.step}: \${e}\`;
  }
  window.result = result;
})();
</script></body></html>`;

// The application's own server: its callback page, whatever the path.
const spa = createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end(callbackPage);
});
await new Promise((ready) => spa.listen(Number(new URL(SPA).port), "127.0.0.1", ready));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failed = false;
try {
  const ctx = await browser.newContext({ locale: "fr-FR" });
  const page = await ctx.newPage();
  const authorize = new URL(`${state.issuer}/authorize`);
  for (const [k, v] of Object.entries({
    client_id: state.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile email groups",
    state: stateParam,
    nonce: b64url(randomBytes(12)),
    code_challenge: challenge,
    code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(k, v);
  }
  await page.goto(authorize.toString());
  check(new URL(page.url()).pathname === "/sign-in", "the application sends the person to Sésame's sign-in");
  await page.fill("#login", state.login);
  await page.fill("#password", state.password);
  await page.click("form[action='/sign-in'] button[type=submit]");
  await page.waitForURL((u) => u.origin === SPA, { timeout: 15000 });
  check(page.url().startsWith(REDIRECT), "back at the application's callback with a code");
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 });
  const r = await page.evaluate(() => window.result);
  check(!r.error, `no script error (${r.error || "none"})`);
  check(r.state === stateParam, "the state comes back unchanged");
  check(r.token_status === 200 && r.has_id_token, "the page redeemed its code across origins (PKCE, no secret)");
  check(r.userinfo_status === 200 && r.userinfo.preferred_username === state.login, `userinfo read across origins after its preflight (${JSON.stringify(r.userinfo)})`);
  check(r.refused_status === 401 && /invalid_token/.test(r.refused_challenge || ""), "a bad token's refusal and its WWW-Authenticate are readable by the page");
  check(r.api_open === false, "Sésame's own API stays closed to another origin's page");
  console.log("spa story passed");
} catch (e) {
  failed = true;
  console.error(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
  spa.close();
}
process.exit(failed ? 1 : 0);
