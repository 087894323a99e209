// Single sign-on with a real relying party: Apache's mod_auth_openidc (Debian's
// libapache2-mod-auth-openidc) protecting two applications, signed in to through Sésame's own
// pages in Debian's chromium (playwright-core). Run by the Rust story tests/it/apache.rs, which
// starts Sésame and Apache and writes what this script needs in STATE.json:
//
//   { "sesame": "http://127.0.0.1:P", "python": ".../.venv-test/bin/python",
//     "apps": { "a": "http://127.0.0.1:PA", "b": "http://127.0.0.1:PB" },
//     "password": "…",
//     "member": { "login": "…", "totp_secret": "…", "last_step": N },
//     "outsider": { "login": "…", "id": "…" }, "admin_token": "…",
//     "issuer": "http://127.0.0.1:P/o/SLUG", "clients": { "a": "CLIENT ID" } }
//
// B is open to the members of « Bureau » alone. Each application serves /app/ (any signed-in person), /app/bureau/ (`Require claim
// groups:Bureau`), /app/tresorerie/ (`Require claim role_names:Trésorier`), /app/redirect_uri (mod_auth_openidc's own) and /bye.html (unprotected, the
// post-logout page). Two-factor codes come from pyotp, never from our own implementation.
//
// Usage: node tests/browser/oidc_apache.mjs STATE.json   (prints a line per check; exits
// non-zero at the first failure)

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const state = JSON.parse(readFileSync(process.argv[2], "utf8"));
const CHROMIUM = process.env.SESAME_CHROMIUM || "/usr/bin/chromium";
const SESAME = new URL(state.sesame);
const A = state.apps.a;
const B = state.apps.b;

function check(cond, what) {
  if (!cond) {
    console.error(`FAIL ${what}`);
    throw new Error(what);
  }
  console.log(`ok   ${what}`);
}

/** axe-core on the page: no serious or critical violation (as tests/browser/e2e.mjs checks).
 * Evaluated through the DevTools protocol, which the page's policy does not govern: the
 * browser keeps enforcing Sésame's real policy (its form-action toward the application). */
const AXE_SOURCE = readFileSync(AXE, "utf8");
async function axe(page, name) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
  });
  for (const v of result) console.log(`     axe ${name}: ${v.impact} ${v.id} (${v.help})`);
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `axe: no serious or critical violation on ${name}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A code is used once: each sign-in takes the step after the last one used (the enrolment's
// included), waiting for it when it is more than the one step of skew Sésame accepts ahead.
let lastStep = state.member.last_step;
async function totp() {
  let now = Math.floor(Date.now() / 1000 / 30);
  const step = Math.max(now, lastStep + 1);
  while (step > now + 1) {
    await sleep(1000);
    now = Math.floor(Date.now() / 1000 / 30);
  }
  lastStep = step;
  return execFileSync(state.python, [
    "-c",
    "import sys, pyotp; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
    state.member.totp_secret,
    String(step * 30),
  ])
    .toString()
    .trim();
}

const onSesame = (path) => (u) => u.origin === SESAME.origin && u.pathname === path;
const onApp = (base, path) => (u) => u.href.startsWith(base) && new URL(u).pathname === path;

/** Signs in on Sésame's pages, the browser being on its sign-in page, with a two-factor code
 * when `withCode`; consent must be asked exactly when `consent` (then it is given). */
const axed = new Set();
async function signIn(page, login, withCode, consent) {
  if (!axed.has("sign-in")) {
    axed.add("sign-in");
    await axe(page, "Sésame's sign-in, from an application");
  }
  await page.fill("#login", login);
  await page.fill("#password", state.password);
  await page.click("form[action='/sign-in'] button[type=submit]");
  if (withCode) {
    await page.waitForURL(onSesame("/sign-in/code"));
    check(true, `${login}: Sésame asks for the two-factor code`);
    await page.fill("#code", await totp());
    await page.click("form[action='/sign-in/code'] button[type=submit]");
  }
  await page.waitForURL((u) => !onSesame("/sign-in")(u) && !onSesame("/sign-in/code")(u));
  const asked = new URL(page.url()).origin === SESAME.origin && (await page.locator("#consent-form").count()) > 0;
  check(asked === consent, `${login}: Sésame ${consent ? "asks" : "does not ask"} for consent`);
  if (asked && !axed.has("consent")) {
    axed.add("consent");
    await axe(page, "the consent page");
  }
  if (asked) await page.click("#consent-allow");
}

/** Goes to `url` of an application and answers where the browser ended. */
async function open(page, url) {
  const r = await page.goto(url);
  return { status: r ? r.status() : 0, url: new URL(page.url()) };
}

/** The claims the application verified, from mod_auth_openidc's info hook. */
async function info(ctx, base) {
  const r = await ctx.request.get(`${base}/app/redirect_uri?info=json`, { maxRedirects: 0 });
  check(r.status() === 200, `${base}: the info hook answers (${r.status()})`);
  return r.json();
}

/** The status of Sésame's userinfo for an access token. */
async function userinfo(token) {
  const r = await fetch(`${state.issuer}/userinfo`, { headers: { Authorization: `Bearer ${token}` } });
  return r.status;
}

/** Polls `base`/app/ until it sends the browser to Sésame's sign-in (the session ended). */
async function untilSignedOut(page, base, what) {
  for (let i = 0; i < 40; i++) {
    const { url } = await open(page, `${base}/app/`);
    if (onSesame("/sign-in")(url)) {
      check(true, what);
      return;
    }
    await sleep(500);
  }
  check(false, `${what} (still signed in after 20 s)`);
}

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
  // 1. The member of « Bureau », whose role requires two-factor.
  const ctx = await browser.newContext({ locale: "fr-FR" });
  const page = await ctx.newPage();
  const visited = [];
  // Every address the browser is sent to, redirects included.
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) visited.push(new URL(r.url()));
  });
  const login = state.member.login;

  let at = await open(page, `${A}/app/`);
  check(onSesame("/sign-in")(at.url), "application A sends the browser to Sésame's sign-in page");
  await signIn(page, login, true, true);
  await page.waitForURL(onApp(A, "/app/"));
  check((await page.textContent("h1")) === "Application A", "signed in: application A's page");
  const a = await info(ctx, A);
  const claims = a.id_token || {};
  check(Array.isArray(claims.groups) && claims.groups.includes("Bureau"), `the ID token names the group Bureau: ${JSON.stringify(claims.groups)}`);
  check(claims.preferred_username === login, "the ID token names the person's login");
  check(Array.isArray(claims.amr) && claims.amr.includes("otp"), `the ID token says a code was used: amr ${JSON.stringify(claims.amr)}`);
  check(Array.isArray((a.userinfo || {}).groups) && a.userinfo.groups.includes("Bureau"), "userinfo names the group too");

  at = await open(page, `${A}/app/bureau/`);
  check(at.status === 200 && (await page.textContent("h1")) === "Bureau", "Require claim groups:Bureau lets the member in");

  at = await open(page, `${A}/app/tresorerie/`);
  check(at.status === 200 && (await page.textContent("h1")) === "Trésorerie", `Require claim role_names:Trésorier lets the treasurer in (${at.status}; role_names ${JSON.stringify(claims.role_names)})`);

  // 2. Single sign-on: the second application, without a password or a code.
  visited.length = 0;
  at = await open(page, `${B}/app/`);
  check(onApp(B, "/app/")(at.url) && (await page.textContent("h1")) === "Application B", "application B (trusted: no consent) opens");
  check(
    visited.every((u) => !onSesame("/sign-in")(u) && !onSesame("/sign-in/code")(u)),
    `… without Sésame's sign-in (single sign-on): ${visited.map((u) => u.origin + u.pathname).join(" → ")}`,
  );
  check(visited.some((u) => u.origin === SESAME.origin), "… through Sésame");

  // 2b. My account lists the application she allowed (A asked; B, trusted, did not ask).
  // Withdrawing it ends A's tokens at once, and A asks again at its next sign-in.
  const token = (await info(ctx, A)).access_token;
  check(typeof token === "string" && (await userinfo(token)) === 200, "A's access token opens Sésame's userinfo");
  await page.goto(`${state.sesame}/account`);
  check((await page.textContent("#allowed-apps")).trim() === "Applications autorisées", "My account: « Applications autorisées », in French");
  const allowed = page.locator("#allowed-apps + .table-wrap tbody tr");
  const rows = (await allowed.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  check(
    rows.length === 1 && rows[0].startsWith("Site de l'AMAP") && /\d{4} à \d{1,2} h \d{2}/.test(rows[0]),
    `… lists the application she allowed, with when, and not the trusted one: ${JSON.stringify(rows)}`,
  );
  await axe(page, "My account with an allowed application");
  await page.getByRole("button", { name: "Retirer l'autorisation de Site de l'AMAP" }).click();
  await page.waitForURL((u) => onSesame("/account")(u) && u.searchParams.get("done") === "app-withdrawn");
  check((await page.textContent("p.notice")).includes("Autorisation retirée"), "withdrawn: Sésame says so");
  check(
    (await allowed.count()) === 0 && (await page.locator("#allowed-apps + p").textContent()).includes("aucune application"),
    "… and My account lists no application any more",
  );
  await axe(page, "My account after a withdrawal");
  check((await userinfo(token)) === 401, "A's access token is refused at once");
  // A forgets its own session (its cookie only): Sésame's session stays, so A asks no
  // password, only consent again.
  await ctx.clearCookies({ name: "sesame_test_a_session" });
  visited.length = 0;
  at = await open(page, `${A}/app/`);
  check(
    at.url.origin === SESAME.origin && (await page.locator("#consent-form").count()) === 1,
    `A, opened again, goes to Sésame, which asks for consent again: ${at.url.href}`,
  );
  check(visited.every((u) => !onSesame("/sign-in")(u)), "… without asking to sign in");
  await page.click("#consent-allow");
  await page.waitForURL(onApp(A, "/app/"));
  check((await page.textContent("h1")) === "Application A", "consent given again: application A's page");

  // 3. RP-initiated logout from A: mod_auth_openidc's logout sends the browser to Sésame's
  // end_session_endpoint with id_token_hint, which ends the session without asking and returns
  // to the registered post-logout page.
  visited.length = 0;
  at = await open(page, `${A}/app/redirect_uri?logout=${encodeURIComponent(`${A}/bye.html`)}`);
  check(
    onApp(A, "/bye.html")(at.url) && (await page.textContent("h1")) === "Au revoir",
    `RP-initiated logout returns to A's post-logout page, without a confirmation page (the hint names the session): ${at.url.href}`,
  );
  check(
    visited.some((u) => u.origin === SESAME.origin && u.pathname.endsWith("/logout")),
    `… through Sésame's end-session endpoint: ${visited.map((u) => u.origin + u.pathname).join(" → ")}`,
  );
  visited.length = 0;
  at = await open(page, `${A}/app/`);
  check(onSesame("/sign-in")(at.url), `application A asks for a sign-in again (Sésame's session ended too): ${at.status} ${visited.map((u) => u.origin + u.pathname).join(" → ")}`);
  // The Sésame session ended, so B hears of it through the back-channel.
  await untilSignedOut(page, B, "application B's session ended too (back-channel logout)");

  // 4. Signing out in Sésame ends the application's session (back-channel logout).
  at = await open(page, `${A}/app/`);
  check(onSesame("/sign-in")(at.url), "A sends the browser to Sésame again");
  await signIn(page, login, true, false);
  await page.waitForURL(onApp(A, "/app/"));
  check((await page.textContent("h1")) === "Application A", "signed in again to A (consent remembered)");
  await page.goto(`${state.sesame}/`);
  await page.click("#sign-out");
  await page.waitForURL(onSesame("/sign-in"));
  check(true, "signed out on Sésame's own page");
  await untilSignedOut(page, A, "application A's session ended (back-channel logout)");
  await ctx.close();

  // 5. A person outside « Bureau »: in the application, kept out of Bureau's page.
  const octx = await browser.newContext({ locale: "fr-FR" });
  const op = await octx.newPage();
  at = await open(op, `${A}/app/`);
  check(onSesame("/sign-in")(at.url), "another person's browser: to Sésame's sign-in");
  await signIn(op, state.outsider.login, false, true);
  await op.waitForURL(onApp(A, "/app/"));
  check((await op.textContent("h1")) === "Application A", "the non-member reaches application A");
  const o = await info(octx, A);
  check(!((o.id_token || {}).groups || []).includes("Bureau"), "… and is in no group Bureau");
  at = await open(op, `${A}/app/bureau/`);
  check(at.status === 401 || at.status === 403, `Require claim groups:Bureau keeps the non-member out (${at.status})`);
  check(onApp(A, "/app/bureau/")(at.url), "… with the application's refusal, not another sign-in");
  at = await open(op, `${A}/app/tresorerie/`);
  check(at.status === 401 || at.status === 403, `Require claim role_names:Trésorier keeps a plain member out (${at.status})`);

  // 5b. B is the Bureau's alone: Sésame's own page says so, in French, before any code is
  // given; its link takes him back to B, told `access_denied`.
  at = await open(op, `${B}/app/`);
  check(at.url.origin === SESAME.origin && at.status === 403, `B, closed to his groups: Sésame's page, 403 (${at.status} ${at.url.pathname})`);
  check((await op.textContent("h1")).trim() === "Accès non autorisé", "… titled « Accès non autorisé »");
  const why = await op.textContent("#no-access");
  check(why.includes("« Nextcloud du bureau »") && why.includes("réservée aux membres de certains groupes"), `… naming the application and why: ${why}`);
  check((await op.textContent("main a[href='/']")).trim() === "Aller à l'accueil de Sésame", "… with a way to Sésame's home");
  await axe(op, "the no-access page");
  check((await op.textContent("#back-to-app")).trim() === "Revenir à l'application", "… and a link back to the application");
  await op.click("#back-to-app");
  await op.waitForURL((u) => u.href.startsWith(`${B}/app/redirect_uri`));
  const back = new URL(op.url());
  check(back.searchParams.get("error") === "access_denied" && back.searchParams.get("state"), `the link returns to B with access_denied and its state: ${back.search}`);
  check(!back.searchParams.get("code"), "… and no code");
  await op.goto(`${state.sesame}/`);
  const tiles = (await op.locator("#tiles .tile-name").allTextContents()).map((t) => t.trim());
  check(tiles.length === 1 && tiles[0] === "Site de l'AMAP", `« Mes applications » shows him A's tile only: ${JSON.stringify(tiles)}`);

  // 5c. A sends him to Sésame's end-session endpoint without an id_token_hint: Sésame asks
  // before signing him out (nothing proves A is the application he uses).
  const logout = `${state.issuer}/logout?${new URLSearchParams({ client_id: state.clients.a, post_logout_redirect_uri: `${A}/bye.html`, state: "au-revoir" })}`;
  at = await open(op, logout);
  check(at.url.origin === SESAME.origin && (await op.textContent("h1")).trim() === "Déconnexion", "a logout without a hint: Sésame's confirmation page");
  const asks = await op.textContent("#logout-text");
  check(asks.includes("L'application « Site de l'AMAP » demande à vous déconnecter"), `… naming the application that asks: ${asks}`);
  await axe(op, "the logout confirmation page");
  await op.getByRole("link", { name: "Rester connecté" }).click();
  await op.waitForURL((u) => u.origin === SESAME.origin && u.pathname === "/");
  check((await op.locator("#sign-out").count()) === 1, "« Rester connecté »: back on Sésame's home, still signed in");
  at = await open(op, `${A}/app/`);
  check(onApp(A, "/app/")(at.url) && (await op.textContent("h1")) === "Application A", "… and still in application A");
  at = await open(op, logout);
  await op.click("#logout-confirm");
  await op.waitForURL(onApp(A, "/bye.html"));
  check(new URL(op.url()).searchParams.get("state") === "au-revoir" && (await op.textContent("h1")) === "Au revoir", "« Me déconnecter »: back to A's post-logout page, with its state");
  await untilSignedOut(op, A, "… and A's session ended (back-channel logout)");
  // Signed out already, the endpoint only says so.
  at = await open(op, `${state.issuer}/logout`);
  check((await op.textContent("#logout-text")).includes("Vous êtes déconnecté de Sésame"), "the end-session endpoint, signed out: « Vous êtes déconnecté »");
  await axe(op, "the logout page, signed out");
  await op.getByRole("link", { name: "Se reconnecter" }).click();
  await op.waitForURL(onSesame("/sign-in"));
  check(true, "… and « Se reconnecter » leads to the sign-in page");

  // 5d. Back into A: his consent is remembered.
  at = await open(op, `${A}/app/`);
  check(onSesame("/sign-in")(at.url), "A sends him to Sésame's sign-in again");
  await signIn(op, state.outsider.login, false, false);
  await op.waitForURL(onApp(A, "/app/"));
  check((await op.textContent("h1")) === "Application A", "signed in to A again (consent remembered)");

  // 6. An administrator ends the non-member's sessions in Sésame: the application's ends too.
  const ended = await fetch(`${state.sesame}/api/v1/users/${state.outsider.id}/sessions`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${state.admin_token}` },
  });
  check(ended.ok, `an administrator ends the non-member's sessions (${ended.status})`);
  await untilSignedOut(op, A, "the non-member's session in application A ended (back-channel logout)");
  await octx.close();
  console.log("apache story passed");
} catch (e) {
  failed = true;
  console.error(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
