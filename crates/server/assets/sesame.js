// Sésame's one script. Every page works without it; it only adds what a person would expect:
// the login suggested as the names are typed, a password strength hint, dropping a file on the
// import form, no double submit, the import's progress without reloading, and wide tables
// reachable by keyboard when they scroll.
"use strict";

// A form is sent once: its buttons are disabled until the answer comes.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (form.dataset.sent) { ev.preventDefault(); return; }
  form.dataset.sent = "1";
  setTimeout(function () {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
  }, 0);
});

// Login suggested from the names (the server makes it unique), until the person types one.
(function () {
  var login = document.querySelector("input[data-suggest-from]");
  if (!login) return;
  var form = login.form, timer = null, typed = login.value !== "";
  login.addEventListener("input", function () { typed = login.value !== ""; });
  function suggest() {
    if (typed) return;
    var q = new URLSearchParams();
    ["first_name", "last_name", "email"].forEach(function (n) {
      var el = form.elements[n];
      q.set(n, el ? el.value : "");
    });
    fetch("/users/suggest-login?" + q.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j && !typed) login.placeholder = j.login; login.dataset.suggested = j ? j.login : ""; })
      .catch(function () {});
  }
  ["first_name", "last_name", "email"].forEach(function (n) {
    var el = form.elements[n];
    if (el) el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 200); });
  });
  suggest();
})();

// Password strength: length and variety, said in words next to the field. The server's
// policy decides; this only helps before sending.
(function () {
  document.querySelectorAll("input[data-strength]").forEach(function (input) {
    var out = document.getElementById(input.dataset.strength);
    if (!out) return;
    var labels = JSON.parse(out.dataset.labels || "[]");
    input.addEventListener("input", function () {
      var v = input.value, kinds = 0;
      [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].forEach(function (re) { if (re.test(v)) kinds++; });
      var score = v.length === 0 ? -1 : v.length < 8 ? 0 : v.length < 12 ? 1 : (v.length >= 16 || kinds >= 3) ? 3 : 2;
      out.textContent = score < 0 ? "" : labels[score] || "";
    });
  });
})();

// Drop a spreadsheet on the import form.
(function () {
  var zone = document.querySelector(".dropzone");
  if (!zone) return;
  var input = zone.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      var name = zone.querySelector("[data-file-name]");
      if (name) name.textContent = input.files[0].name;
    }
  });
})();

// An import still running: its progress without reloading the page (WCAG 2.2.1), then the
// page again once it ended, which shows the result. The bar follows every poll; the spoken
// status (role=status) changes at most every ten seconds, so a screen reader is not flooded.
// Without the script, the page's « Actualiser » link does the same by hand.
(function () {
  var bar = document.querySelector("progress[data-job]");
  if (!bar) return;
  var text = document.getElementById("rows-read");
  var label = bar.getAttribute("aria-describedby") && document.getElementById(bar.getAttribute("aria-describedby"));
  var spokenAt = Date.now();
  function poll() {
    fetch("/api/v1/imports/" + encodeURIComponent(bar.dataset.job), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        // Signed out or no such import: the link is there; a server busy or away: later.
        if (r.status >= 400 && r.status < 500) return null;
        if (!r.ok) { setTimeout(poll, 5000); return null; }
        return r.json();
      })
      .then(function (j) {
        if (!j) return;
        if (j.state !== "running") { location.reload(); return; }
        if (label) bar.setAttribute("aria-valuetext", label.textContent.replace(/\d+\s*$/, "") + j.rows_read);
        if (text && Date.now() - spokenAt >= 10000 && text.textContent !== String(j.rows_read)) {
          text.textContent = j.rows_read;
          spokenAt = Date.now();
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 700);
})();

// A table wider than the screen (a phone) scrolls within its box: the box takes the keyboard
// focus then, so that the arrow keys scroll it, and is named after its table.
(function () {
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var table = box.querySelector("table");
        var name = table && (table.getAttribute("aria-label") || (table.caption && table.caption.textContent));
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (name) box.setAttribute("aria-label", name.trim());
        else if (table && table.getAttribute("aria-labelledby")) box.setAttribute("aria-labelledby", table.getAttribute("aria-labelledby"));
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
