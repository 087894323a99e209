// Passkeys in a real browser: Debian's chromium, driven by playwright-core, with Chromium's own
// virtual authenticator (DevTools `WebAuthn.*`: CTAP2, internal, resident keys, user
// verification). Run by the Rust story in tests/it/passkeys.rs, which starts Sésame with the
// public address http://localhost:PORT (WebAuthn needs a secure context: localhost is one,
// 127.0.0.1 is refused as an RP id) and writes STATE.json:
//
//   { "sesame": "http://localhost:P", "login": "…", "password": "…", "enrol_login": "…" }
//
// The person has a password and no second factor. The story: add a passkey under My account;
// sign out; sign in with it without typing a login (the button, then conditional UI: the
// passkey offered in the login field); password then passkey as the second factor; the person
// not verified by the device → refused with a message saying what to do; the passkey removed
// → it no longer signs in; a role requiring two-factor satisfied by a passkey alone (the
// treasurer, `enrol_login`: the sign-in leads only to enrolment, a passkey added there opens
// everything, then signs in alone). axe-core on every new page.
//
// Automatic presence is on only around the action tested: while a conditional request is
// pending (the sign-in page), the virtual authenticator would otherwise answer it at once.
//
// Usage: node tests/browser/passkeys.mjs STATE.json (a line per check; non-zero at the first
// failure)

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const state = JSON.parse(readFileSync(process.argv[2], "utf8"));
const CHROMIUM = process.env.SESAME_CHROMIUM || "/usr/bin/chromium";
const BASE = state.sesame;
const port = new URL(BASE).port;

function check(cond, what) {
  if (!cond) {
    console.error(`FAIL ${what}`);
    throw new Error(what);
  }
  console.log(`ok   ${what}`);
}

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

const path = (page) => new URL(page.url()).pathname;

// A phone or computer of its own for the page of this DevTools session: a platform
// authenticator that keeps discoverable credentials and verifies the person; presence only
// when a step turns it on. Answers its id.
async function addDevice(cdp) {
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: false,
    },
  });
  return authenticatorId;
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
    // Sésame listens on IPv4 loopback; localhost may resolve to ::1 first.
    "--host-resolver-rules=MAP localhost 127.0.0.1",
  ],
});
let failed = false;
try {
  const ctx = await browser.newContext({ locale: "fr-FR" });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const authenticatorId = await addDevice(cdp);
  const presence = (enabled) => cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled });
  const verified = (isUserVerified) => cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
  const credentials = async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;

  async function signInWithPassword() {
    await page.goto(`${BASE}/sign-in`);
    await page.fill("#login", state.login);
    await page.fill("#password", state.password);
    await page.click("form[action='/sign-in'] button[type=submit]");
    await page.waitForLoadState("load");
  }
  async function signOut() {
    await presence(false);
    await page.click("#sign-out");
    await page.waitForURL((u) => u.pathname === "/sign-in");
  }

  // 1. Signed in with the password, the person adds a passkey under My account.
  await signInWithPassword();
  check(path(page) !== "/sign-in", `signed in with the password (${path(page)})`);
  await page.goto(`${BASE}/account`);
  await page.click("#passkeys");
  await page.waitForURL((u) => u.pathname === "/account/two-factor/passkeys");
  check((await page.textContent("#add-passkey")).trim() === "Ajouter une clé d'accès", "« Ajouter une clé d'accès », in French");
  await axe(page, "the passkeys page (none yet)");
  await presence(true);
  await page.click("#add-passkey");
  await page.waitForURL((u) => u.searchParams.get("done") === "passkey-added");
  await presence(false);
  check((await credentials()).length === 1 && (await credentials())[0].isResidentCredential, "the device keeps a discoverable credential");
  const name = (await page.textContent(".passkeys h3")).trim();
  check(name === "Chrome · Linux", `named after the device: ${name}`);
  const listed = await page.textContent(".passkeys");
  check(listed.includes("Ajoutée") && listed.includes("Pas encore utilisée"), "when it was added, not used yet");
  await axe(page, "the passkeys page (one passkey)");

  // 2. Signed out, the person signs in with it without typing a login (the button).
  await signOut();
  check((await page.getAttribute("#login", "autocomplete")) === "username webauthn", "the login field offers passkeys (autocomplete=\"username webauthn\")");
  check((await page.textContent("#passkey-sign-in")).trim() === "Se connecter avec une clé d'accès", "« Se connecter avec une clé d'accès »");
  await axe(page, "the sign-in page with its passkey button");
  await presence(true);
  await page.click("#passkey-sign-in");
  await page.waitForURL((u) => u.pathname !== "/sign-in");
  check(path(page) !== "/sign-in", `signed in with the passkey, no login typed (${path(page)})`);
  await page.goto(`${BASE}/account/two-factor/passkeys`);
  check(!(await page.textContent(".passkeys")).includes("Pas encore utilisée"), "the list shows when it was last used");

  // 3. Conditional UI: the passkey offered in the login field answers as the page loads.
  await signOut();
  await presence(true);
  await page.goto(`${BASE}/sign-in`);
  await page.waitForURL((u) => u.pathname !== "/sign-in", { timeout: 15000 });
  check(path(page) !== "/sign-in", "conditional UI: signed in from the login field's offer");

  // 4. Password, then the passkey as the second factor (beside the code).
  await signOut();
  await signInWithPassword();
  check(path(page) === "/sign-in/code", `the password leads to the second factor (${path(page)})`);
  check((await page.textContent("#passkey-second-factor")).trim() === "Utiliser une clé d'accès", "« Utiliser une clé d'accès » beside the code");
  await axe(page, "the code step with its passkey button");
  await presence(true);
  await page.click("#passkey-second-factor");
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  check(!path(page).startsWith("/sign-in"), `password + passkey: signed in (${path(page)})`);

  // 5. The device does not verify the person: refused, with what to do.
  await signOut();
  await verified(false);
  await presence(true);
  await page.click("#passkey-sign-in");
  await page.waitForSelector("#passkey-status.alert");
  const refusal = (await page.textContent("#passkey-status")).trim();
  check(path(page) === "/sign-in", "not signed in without user verification");
  check(/déverrouillez|vérifié/.test(refusal), `a clear message: ${refusal}`);
  await presence(false);
  await verified(true);

  // 6. Removed (with the password), the passkey no longer signs in.
  await presence(true);
  await page.click("#passkey-sign-in");
  await page.waitForURL((u) => u.pathname !== "/sign-in");
  await presence(false);
  await page.goto(`${BASE}/account/two-factor/passkeys`);
  await page.fill(".passkeys input[type=password]", state.password);
  await page.click(".passkeys button.danger");
  await page.waitForURL((u) => u.searchParams.get("done") === "passkey-removed");
  check((await page.textContent("main")).includes("Vous n'avez encore aucune clé d'accès"), "the list is empty");
  await signOut();
  await presence(true);
  await page.click("#passkey-sign-in");
  await page.waitForSelector("#passkey-status.alert");
  const gone = (await page.textContent("#passkey-status")).trim();
  check(path(page) === "/sign-in", "the removed passkey does not sign in");
  check(gone.includes("n'est pas enregistrée"), `and says so: ${gone}`);
  await presence(false);

  // 7. A role that requires two-factor, satisfied by a passkey alone: the treasurer (their own
  // browser and device) signs in with the password and may only enrol; the passkey added from
  // the enrolment page opens everything, in this session and in a passkey sign-in.
  const ctx2 = await browser.newContext({ locale: "fr-FR" });
  const page2 = await ctx2.newPage();
  const cdp2 = await ctx2.newCDPSession(page2);
  const device2 = await addDevice(cdp2);
  const presence2 = (enabled) =>
    cdp2.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: device2, enabled });
  await page2.goto(`${BASE}/sign-in`);
  await page2.fill("#login", state.enrol_login);
  await page2.fill("#password", state.password);
  await page2.click("form[action='/sign-in'] button[type=submit]");
  await page2.waitForURL((u) => u.pathname === "/account/two-factor");
  const asked = await page2.textContent("main .alert");
  check(asked.includes("clé d’accès") && asked.includes("application d’authentification"), "the enrolment page offers a passkey or an authenticator app");
  await axe(page2, "the enrolment page a role requires");
  await page2.goto(`${BASE}/account`);
  check(path(page2) === "/account/two-factor", "before enrolling, every other page leads back to enrolment");
  check((await page2.textContent("#manage-passkeys")).trim() === "Ajouter une clé d'accès", "« Ajouter une clé d'accès » on the enrolment page");
  await page2.click("#manage-passkeys");
  await page2.waitForURL((u) => u.pathname === "/account/two-factor/passkeys");
  await axe(page2, "the passkeys page while enrolment is required");
  await presence2(true);
  await page2.click("#add-passkey");
  await page2.waitForURL((u) => u.searchParams.get("done") === "passkey-added");
  await presence2(false);
  check(!(await page2.isVisible("main .alert[role=alert]")), "enrolled: the page no longer asks for it");
  await page2.goto(`${BASE}/account`);
  check(path(page2) === "/account", `the passkey alone opens everything in the same session (${path(page2)})`);
  await page2.click("#sign-out");
  await page2.waitForURL((u) => u.pathname === "/sign-in");
  await presence2(true);
  // The button, unless the login field's offer (conditional UI) answers first: a passkey
  // sign-in either way.
  await page2.click("#passkey-sign-in", { timeout: 3000 }).catch(() => {});
  await page2.waitForURL((u) => u.pathname !== "/sign-in");
  await presence2(false);
  await page2.goto(`${BASE}/account`);
  check(path(page2) === "/account", `signed in with the passkey alone, the role's rule is met (${path(page2)})`);
  await ctx2.close();
  console.log(`passkeys story passed (port ${port})`);
} catch (e) {
  failed = true;
  console.error(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
