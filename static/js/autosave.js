// civichub: the application form saves itself so that nothing typed is lost. Without this file the form's
// "Save draft" button does the same merge on the server. See calls/README.md ("How drafts behave").
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var key = "civichub-draft-" + form.getAttribute("data-draft");
  var status = document.getElementById("autosave-status");
  var conflicts = document.getElementById("draft-conflicts");
  var revision = document.getElementById("draft-revision");
  var base = document.getElementById("draft-base");
  var edits = 0, savedEdits = 0, busy = false, again = false, timer = null, retries = 0, leaving = false;
  var shown = defaults();

  function say(name) { status.textContent = form.getAttribute("data-" + name) || ""; }
  // The answers as the form holds them (files aside), by field name.
  function values() {
    var result = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name.indexOf("f_") === 0) { (result[name] = result[name] || []).push(value); }
    });
    return result;
  }
  // The answers as the server sent them. On a slow connection this file may run after the person has begun to
  // type: what differs from these is unsaved and is saved at once (below), not only after the next keystroke.
  function defaults() {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      var name = input.name;
      if (!name || name.indexOf("f_") !== 0 || input.disabled || input.type === "file") { return; }
      var chosen = [];
      if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.options, function (option) { if (option.defaultSelected) { chosen.push(option.value); } });
        if (!chosen.length && !input.multiple && input.options.length) { chosen.push(input.options[0].value); }
      } else if (input.type === "checkbox" || input.type === "radio") {
        if (input.defaultChecked) { chosen.push(input.value); }
      } else if (input.tagName === "TEXTAREA" || input.tagName === "INPUT") {
        if (["submit", "button", "reset", "image"].indexOf(input.type) < 0) { chosen.push(input.defaultValue); }
      }
      if (chosen.length) { (result[name] = result[name] || []).push.apply(result[name], chosen); }
    });
    return result;
  }
  function differ(a, b) {
    return Object.keys(a).concat(Object.keys(b)).some(function (name) {
      return JSON.stringify(a[name] || []) !== JSON.stringify(b[name] || []);
    });
  }
  // Keep the answers changed since the last save in this browser until a save succeeds.
  function keep() {
    var now = values(), changed = {}, any = false;
    Object.keys(now).forEach(function (name) {
      if (JSON.stringify(now[name]) !== JSON.stringify(shown[name])) { changed[name] = now[name]; any = true; }
    });
    try {
      if (any) { localStorage.setItem(key, JSON.stringify({revision: revision.value, base: base.value, values: changed})); }
    } catch (error) { /* storage full or off: the page still holds the text */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (error) { /* nothing kept */ } }

  function body(keepalive) {
    var data = new FormData(form);
    if (keepalive) {  // a keep-alive request is small: files wait for the next save
      form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    }
    return data;
  }
  function setToken(token) {
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
  }
  // Signing in again (here or in another tab) rotates the CSRF token: ask for the current one.
  function refreshToken() {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) { setToken(answer.csrf); return answer.signed_in; });
  }
  function send(keepalive) {
    return fetch(url, {method: "POST", body: body(keepalive), credentials: "same-origin", keepalive: !!keepalive});
  }

  function handle(html, sent) {
    var fragment = new DOMParser().parseFromString(html, "text/html").querySelector("[data-state]");
    if (!fragment) { throw new Error("unexpected answer"); }
    var state = fragment.getAttribute("data-state");
    var message = fragment.querySelector(".autosave-message");
    status.replaceChildren.apply(status, message ? Array.prototype.slice.call(message.childNodes) : []);
    if (state === "expired") { return; }
    if (fragment.hasAttribute("data-revision")) {
      revision.value = fragment.getAttribute("data-revision");
      base.value = fragment.getAttribute("data-base");
    }
    fragment.querySelectorAll("[data-total-for]").forEach(function (output) {
      var total = document.getElementById("total-" + output.getAttribute("data-total-for"));
      if (total) { total.textContent = output.textContent; }
    });
    var panels = fragment.querySelector(".conflicts");
    conflicts.replaceChildren.apply(conflicts, panels ? Array.prototype.slice.call(panels.childNodes) : []);
    if (state === "refused") { return; }
    retries = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) { if (input.value) { input.value = ""; } });
    if (state !== "conflict") {
      savedEdits = sent;
      if (edits === sent) { shown = values(); forget(); } else { keep(); }
    }
  }

  function save(keepalive) {
    clearTimeout(timer);
    if (busy && !keepalive) { again = true; return; }
    busy = !keepalive;
    var sent = edits;
    if (!keepalive) { say("saving"); }
    send(keepalive)
      .then(function (response) {
        if (response.status !== 403) { return response; }
        return refreshToken().then(function (signedIn) {
          if (!signedIn) { throw new Error("signed out"); }
          return send(keepalive);
        });
      })
      .then(function (response) {
        if (response.status === 403) { throw new Error("signed out"); }
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) { handle(html, sent); })
      .catch(function (error) {
        if (leaving) { return; }
        if (String(error.message) === "signed out") { say("signin"); return; }
        say("retrying");
        retries += 1;
        timer = setTimeout(save, Math.min(30000, 2000 * retries));
      })
      .then(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
  }
  function soon(delay) { clearTimeout(timer); timer = setTimeout(save, delay); }
  function edited() { edits += 1; keep(); }

  form.addEventListener("input", function () { edited(); soon(1200); });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "text" && event.target.tagName !== "TEXTAREA") { edited(); }
    soon(200);
  });
  form.addEventListener("focusout", function () { if (edits !== savedEdits) { soon(100); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && edits !== savedEdits) { save(true); }
    if (document.visibilityState === "visible" && edits !== savedEdits) { soon(100); }
  });
  window.addEventListener("pagehide", function () { if (edits !== savedEdits && !leaving) { save(true); } });
  window.addEventListener("beforeunload", function (event) {
    if (edits !== savedEdits && !leaving) { event.preventDefault(); event.returnValue = ""; }
  });
  // Signing in again in another tab rotates the CSRF token: coming back to this page picks up the new one,
  // so the form's own buttons are not refused.
  var fetched = Date.now();
  function fresh() {
    if (Date.now() - fetched < 5000) { return; }
    fetched = Date.now();
    refreshToken().then(null, function () { /* offline: the next save retries */ });
  }
  window.addEventListener("focus", fresh);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { fresh(); } });
  form.addEventListener("submit", function () { leaving = true; });

  // What this browser kept from an earlier visit (a closed tab, an ended session) goes back into the form,
  // with the revision it was typed on, and is saved: the server merges it without undoing newer answers.
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { stored = null; }
  if (stored && stored.values) {
    var differs = false;
    Object.keys(stored.values).forEach(function (name) {
      var chosen = stored.values[name];
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
        if (input.disabled || input.type === "file") { return; }
        if (input.type === "checkbox" || input.type === "radio") {
          var on = chosen.indexOf(input.value) >= 0;
          differs = differs || input.checked !== on;
          input.checked = on;
        } else {
          differs = differs || input.value !== (chosen[0] || "");
          input.value = chosen[0] || "";
        }
      });
    });
    if (differs) {
      revision.value = stored.revision;
      base.value = stored.base;
      edits = 1;
      say("restored");
      save();
    } else {
      forget();  // the page already shows it: it was saved
    }
  }
  if (!edits && differ(values(), shown)) { edited(); soon(1200); }
  form.setAttribute("data-autosave-ready", "");
})();
