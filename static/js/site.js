// civichub: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";
  // Confirm destructive actions marked with data-confirm (the server still checks everything).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Click-to-load videos: the player (and any third-party request) appears only after the learner asks.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-embed-src]");
    if (!button) { return; }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-embed-src");
    frame.title = button.getAttribute("data-embed-title") || "";
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.className = "video-frame";
    button.closest(".video").replaceChildren(frame);
  });
  // Steps taken offline wait in IndexedDB "civichub-offline" (static/js/offline.js) until a course page sends
  // them; signing out clears this device, so a sign-out from any page asks first while some wait. It looks only
  // when that database exists, and never creates it.
  var signOut = document.querySelector("form[data-waiting-confirm]");
  if (signOut && window.indexedDB && indexedDB.databases) {
    indexedDB.databases().then(function (found) {
      if (!found.some(function (db) { return db.name === "civichub-offline"; })) { return; }
      var open = indexedDB.open("civichub-offline", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("events", { keyPath: "id" }); };
      open.onsuccess = function () {
        var db = open.result;
        var count = db.transaction("events").objectStore("events").count();
        count.onsuccess = function () {
          if (count.result && !signOut.hasAttribute("data-confirm")) {
            signOut.setAttribute("data-confirm", signOut.getAttribute("data-waiting-confirm"));
          }
          db.close();
        };
      };
    }).catch(function () { /* no storage: nothing waits */ });
  }
  // The service worker (core/pwa.py, /sw.js): static files from the device on return visits, and an offline
  // page when the network fails. Registered after the page has loaded, so it never competes with the first visit.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* the site works without it */ });
    });
  }
})();
