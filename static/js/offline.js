// civichub: courses kept on this phone (issue 21, learning/sync.py). Progressive enhancement only: without this
// file the course page offers the single-file download and every form posts to the server as usual.
// Cache Storage "civichub-course-<slug>" holds a course's pages, files and its manifest; IndexedDB
// "civichub-offline" holds the steps taken offline (lessons done, quiz answers) until they are sent.
(function () {
  "use strict";
  if (!("caches" in window) || !("indexedDB" in window) || !window.Promise) { return; }
  var PREFIX = "civichub-course-";
  var ui = document.getElementById("offline-ui");
  var box = document.getElementById("offline-course");
  var slug = ui && ui.getAttribute("data-course");
  var stored = false;
  var syncing = false;

  function t(key) { return (ui && ui.getAttribute("data-t-" + key)) || ""; }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  // Buttons are display:inline-block in site.css, which beats the hidden attribute: set both.
  function show(node, on) { node.hidden = !on; node.style.display = on ? "" : "none"; }
  function link(href, text) { var a = el("a", text); a.href = href; return a; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " " + t("mb") : Math.ceil(bytes / 1024) + " " + t("kb");
  }

  // --- IndexedDB: the steps waiting to be sent -------------------------------------------------------------
  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("civichub-offline", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("events", { keyPath: "id" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var db = open.result;
        var tx = db.transaction("events", mode);
        var request = work(tx.objectStore("events"));
        tx.oncomplete = function () { db.close(); resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }
  function waiting() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.n - b.n; });
    });
  }

  // --- what the learner sees: waiting steps, results, the sign-out warning -----------------------------------
  function showWaiting(rows) {
    if (!ui) { return; }
    var old = ui.querySelector(".offline-waiting");
    if (old) { old.remove(); }
    document.querySelectorAll("form[action*='logout']").forEach(function (form) {
      if (rows.length) { form.setAttribute("data-confirm", t("signout")); } else { form.removeAttribute("data-confirm"); }
    });
    if (!rows.length) { return; }
    var part = el("div", "", "offline-waiting notice info");
    part.appendChild(el("p", t("waiting") + " " + rows.length));
    var list = el("ul");
    rows.forEach(function (row) { list.appendChild(el("li", row.title)); });
    part.appendChild(list);
    ui.prepend(part);
    ui.hidden = false;
  }
  function refreshWaiting() { return waiting().then(showWaiting).catch(function () { /* no storage: nothing waits */ }); }

  function showResults(results) {
    var part = el("div", "", "offline-results");
    part.appendChild(el("h2", t("results")));
    var list = el("ul");
    results.forEach(function (r) {
      var item = el("li", (r.lesson_title ? r.lesson_title + ": " : "") + (r.message || ""));
      item.className = r.status === "applied" ? (r.passed === false ? "result-failed" : "result-ok") : "result-refused";
      if (r.attempt_url) { item.append(" "); item.appendChild(link(r.attempt_url, t("result"))); }
      if (r.course_completed) {
        item.appendChild(el("strong", " " + t("completed") + " "));
        if (r.credential_url) { item.appendChild(link(r.credential_url, t("credential"))); }
      }
      list.appendChild(item);
    });
    part.appendChild(list);
    var old = ui.querySelector(".offline-results");
    if (old) { old.replaceWith(part); } else { ui.appendChild(part); }
    ui.hidden = false;
  }

  // --- sending: when the page loads online and when the connection returns ------------------------------------
  function sync() {
    if (!ui || syncing || !navigator.onLine) { return Promise.resolve(); }
    var url = ui.getAttribute("data-sync");
    return waiting().then(function (rows) {
      if (!rows.length) { return; }
      syncing = true;
      var note = el("p", t("syncing"), "offline-syncing");
      ui.appendChild(note);
      ui.hidden = false;
      var batch = rows.slice(0, 100);
      return fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { if (!r.ok) { throw new Error("token"); } return r.json(); })
        .then(function (data) {
          return fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf_token },
            body: JSON.stringify({ events: batch.map(function (row) {
              return { id: row.id, kind: row.kind, course: row.course, lesson: row.lesson,
                answers: row.answers, device_time: row.device_time };
            }) })
          });
        })
        .then(function (r) { if (!r.ok) { throw new Error("sync"); } return r.json(); })
        .then(function (data) {
          // Every step with an answer is settled (applied, or refused with its reason): it waits no more.
          var ids = data.results.map(function (r) { return r.id; }).filter(Boolean);
          return store("readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); }).then(function () {
            showResults(data.results);
            if (stored) { return keep(true); }  // the stored pages show the new ticks and attempts
          });
        })
        .catch(function () { note.textContent = t("later"); note = null; })
        .then(function () {
          syncing = false;
          if (note) { note.remove(); }
          return refreshWaiting();
        });
    });
  }

  // --- offline (or when the post fails): keep the step on the phone ------------------------------------------
  function answersOf(form) {
    var answers = {};
    new FormData(form).forEach(function (value, name) {
      if (/^q\d+$/.test(name)) { (answers[name] = answers[name] || []).push(String(value)); }
    });
    return answers;
  }
  function keepStep(form, kind) {
    var row = {
      id: uuid(), n: Date.now(), kind: kind, course: slug, lesson: form.getAttribute("data-lesson"),
      title: form.getAttribute("data-title"), answers: kind === "quiz_answers" ? answersOf(form) : {},
      device_time: new Date().toISOString()
    };
    return store("readwrite", function (s) { return s.put(row); }).then(function () {
      form.querySelectorAll("input, button").forEach(function (input) { input.disabled = true; });
      var saved = el("p", t("saved"), "notice info offline-saved");
      saved.setAttribute("role", "status");
      form.after(saved);
      return refreshWaiting();
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.getAttribute("data-offline-kind");
    if (!kind || !ui || (navigator.onLine && !stored)) { return; }  // online and not stored: the usual post
    event.preventDefault();
    if (!navigator.onLine) { keepStep(form, kind); return; }
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) {
        if (!r.redirected) { form.submit(); return; }  // a form error: the server's page says what to fix
        return r.text().then(function (html) {
          // The redirect was followed here, so the page it leads to showed its messages to this script: keep them
          // for the next page ("congratulations", say).
          var doc = new DOMParser().parseFromString(html, "text/html");
          var notes = Array.prototype.map.call(doc.querySelectorAll(".messages .notice"), function (p) {
            return { c: p.className, t: p.textContent };
          });
          try { sessionStorage.setItem("civichub-messages", JSON.stringify(notes)); } catch (e) { /* private mode */ }
          location.assign(r.url);
        });
      })
      .catch(function () { keepStep(form, kind); });
  });

  // --- keeping a course: every file of its manifest in its own cache ------------------------------------------
  function manifest() {
    return fetch(ui.getAttribute("data-manifest"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("manifest"); } return r.json(); });
  }
  function say(text) {
    var message = box && box.querySelector("[data-offline-message]");
    if (message) { message.textContent = text; }
  }
  function showStored() {
    if (!box) { return; }
    show(box.querySelector("[data-offline-keep]"), !stored);
    show(box.querySelector("[data-offline-remove]"), stored);
    if (stored) { say(t("stored")); }
  }
  function keep(quiet) {
    var progress = box && box.querySelector("[data-offline-progress]");
    var name = PREFIX + slug;
    return manifest().then(function (plan) {
      var estimate = navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : Promise.resolve({});
      return estimate.then(function (space) {
        if (space.quota && space.quota - (space.usage || 0) < plan.total) {
          throw new DOMException("quota", "QuotaExceededError");
        }
        return caches.open(name);
      }).then(function (cache) {
        if (!quiet) { say(t("storing")); }
        if (progress && !quiet) { progress.max = plan.files.length; progress.value = 0; progress.hidden = false; }
        var chain = Promise.resolve();
        plan.files.forEach(function (file) {
          chain = chain.then(function () {
            return fetch(file.url, { credentials: "same-origin", headers: { "X-Civichub-Offline-Store": "1" } });
          }).then(function (r) {
            if (!r.ok || r.redirected) { throw new Error("fetch " + file.url); }
            return cache.put(file.url, r);
          }).then(function () { if (progress && !quiet) { progress.value += 1; } });
        });
        return chain.then(function () {
          var wanted = plan.files.map(function (f) { return new URL(f.url, location.href).href; });
          return cache.keys().then(function (keys) {
            return Promise.all(keys.filter(function (k) { return wanted.indexOf(k.url) < 0; })
              .map(function (k) { return cache.delete(k); }));
          });
        }).then(function () {
          // The manifest goes in last: a cache with it is complete, and its version says which content it holds.
          return cache.put(ui.getAttribute("data-manifest"), new Response(JSON.stringify(plan), {
            headers: { "Content-Type": "application/json" }
          }));
        });
      }).then(function () {
        stored = true;
        if (progress) { progress.hidden = true; }
        showStored();
        if (quiet === "update") { say(t("updated")); }
      });
    }).catch(function (error) {
      if (progress) { progress.hidden = true; }
      if (quiet && !(error && error.name === "QuotaExceededError")) { return; }
      return (stored ? Promise.resolve() : caches.delete(name)).then(function () {
        say(error && error.name === "QuotaExceededError" ? t("quota") : t("failed"));
      });
    });
  }
  function storedManifest() {
    return caches.open(PREFIX + slug).then(function (cache) { return cache.match(ui.getAttribute("data-manifest")); })
      .then(function (r) { return r ? r.json() : null; });
  }

  // --- the offline page: links to the courses kept on this phone --------------------------------------------
  function listCourses(target) {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; }).map(function (n) {
        return caches.open(n).then(function (cache) { return cache.keys().then(function (keys) {
          var entry = keys.filter(function (k) { return /\/offline\.json$/.test(new URL(k.url).pathname); })[0];
          return entry ? cache.match(entry).then(function (r) { return r.json(); }) : null;
        }); });
      }));
    }).then(function (plans) {
      var list = el("ul", "", "offline-course-list");
      plans.filter(Boolean).forEach(function (plan) {
        list.appendChild(el("li")).appendChild(link(plan.files[0].url, plan.title));
      });
      if (list.children.length) { target.appendChild(list); }
    }).catch(function () { /* nothing stored */ });
  }

  function replayMessages() {
    var notes = null;
    try { notes = JSON.parse(sessionStorage.getItem("civichub-messages") || "null"); sessionStorage.removeItem("civichub-messages"); } catch (e) { /* none */ }
    var main = document.getElementById("main");
    if (!notes || !notes.length || !main || main.querySelector(".messages")) { return; }
    var part = el("div", "", "messages");
    part.setAttribute("role", "status");
    notes.forEach(function (note) { part.appendChild(el("p", note.t, note.c)); });
    main.prepend(part);
  }
  replayMessages();
  var courses = document.getElementById("offline-courses");
  if (courses) { listCourses(courses); }
  if (!ui) { return; }
  window.addEventListener("online", sync);
  storedManifest().catch(function () { return null; }).then(function (plan) {
    stored = Boolean(plan);
    if (box) {
      box.hidden = false;
      showStored();
      box.querySelector("[data-offline-keep]").addEventListener("click", function () { keep(false); });
      box.querySelector("[data-offline-remove]").addEventListener("click", function () {
        caches.delete(PREFIX + slug).then(function () { stored = false; showStored(); say(t("removed")); });
      });
    }
    if (!navigator.onLine) { return refreshWaiting(); }
    return refreshWaiting().then(sync).then(function () {
      if (!box && !plan) { return; }
      return manifest().then(function (fresh) {
        var sized = box && box.querySelector("[data-offline-size]");
        if (sized) { sized.textContent = t("size") + " " + size(fresh.total); }
        if (plan && fresh.version !== plan.version) { return keep("update"); }  // the course changed: refresh
      });
    }).catch(function () { /* offline or signed out: the page works as it is */ });
  });
})();
