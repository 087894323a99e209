// Passkeys (WebAuthn), on the three pages that offer them: adding one (My account), signing in
// with one (a button, and offered in the login field: conditional UI) and as the second factor
// after the password. The page holds every sentence (data-msg-*, in its language); the server
// checks everything. Without this script, or in a browser without passkeys, the password and
// code forms work as before.
"use strict";

(function () {
  var root = document.querySelector("[data-passkey]");
  if (!root) return;
  var mode = root.dataset.passkey;
  var status = document.getElementById("passkey-status");
  var lang = document.documentElement.lang || "fr";

  function say(text, bad) {
    if (!status || !text) return;
    status.textContent = text;
    status.className = bad ? "alert" : "notice";
    status.hidden = false;
    status.focus();
  }
  function msg(name) { return root.dataset["msg" + name] || root.dataset.msgFailed; }

  // What the browser's refusal means for the person, and what to do.
  function browserError(e) {
    switch (e && e.name) {
      case "AbortError": return null; // our own: a pending request given up for another
      case "InvalidStateError": return msg("Registered");
      case "NotAllowedError": return msg("Refused"); // refused, cancelled, or timed out
      case "SecurityError": return msg("Security");
      default: return e && e.server ? e.message : msg("Failed");
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "Accept-Language": lang },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.ok) return j;
        var text = (j.errors || []).map(function (x) { return x.message; }).join(" ") || j.detail;
        var e = new Error(text || msg("Failed"));
        e.server = true;
        throw e;
      });
    });
  }

  var supported = window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";
  var buttons = root.querySelectorAll("[data-passkey-start]");
  if (!supported) {
    buttons.forEach(function (b) { b.disabled = true; });
    if (mode !== "sign-in") say(msg("Unsupported"), true);
    return;
  }
  buttons.forEach(function (b) { b.hidden = false; });

  function busy(on) { buttons.forEach(function (b) { b.disabled = on; }); }

  function fail(e) {
    busy(false);
    var text = browserError(e);
    if (text) say(text, true);
  }

  if (mode === "register") {
    var name = document.getElementById("passkey-name");
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        busy(true);
        say(msg("Waiting"), false);
        post("/api/v1/account/passkeys/options").then(function (o) {
          var publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(o.public_key);
          return navigator.credentials.create({ publicKey: publicKey }).then(function (cred) {
            var body = { ceremony: o.ceremony, credential: cred.toJSON() };
            if (name && name.value.trim() !== "") body.name = name.value;
            return post("/api/v1/account/passkeys", body);
          });
        }).then(function () {
          window.location.assign(root.dataset.done);
        }).catch(fail);
      });
    });
    return;
  }

  // Signing in: the whole sign-in (no login typed) or the second factor.
  var pending = null;
  function optionsUrl() {
    if (mode === "second-factor") return "/sign-in/code/passkey/options";
    var org = document.querySelector("input[name=org]");
    return "/api/v1/auth/passkey/options" + (org && org.value.trim() ? "?org=" + encodeURIComponent(org.value.trim()) : "");
  }
  function finishUrl() { return mode === "second-factor" ? "/sign-in/code/passkey" : "/api/v1/auth/passkey"; }
  function next() {
    var n = document.querySelector("input[name=next]");
    return n && n.value ? n.value : "/";
  }

  function signIn(conditional) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    return post(optionsUrl()).then(function (o) {
      var request = { publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o.public_key), signal: controller.signal };
      if (conditional) request.mediation = "conditional";
      return navigator.credentials.get(request).then(function (cred) {
        var body = { ceremony: o.ceremony, credential: cred.toJSON() };
        if (mode === "second-factor") body.next = next();
        return post(finishUrl(), body);
      });
    }).then(function (signed) {
      window.location.assign(mode === "second-factor" ? signed.next : next());
    });
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      busy(true);
      say(msg("Waiting"), false);
      signIn(false).catch(fail);
    });
  });

  // Offered in the login field, where the browser can (its own list under the field).
  if (mode === "sign-in" && typeof PublicKeyCredential.isConditionalMediationAvailable === "function") {
    PublicKeyCredential.isConditionalMediationAvailable().then(function (yes) {
      if (yes) signIn(true).catch(function (e) { if (e && e.name !== "AbortError") fail(e); });
    }).catch(function () {});
  }
})();
