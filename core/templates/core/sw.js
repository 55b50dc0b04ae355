{% autoescape off %}// civichub's service worker (core/pwa.py, decision 0026): progressive enhancement only.
// Static files (hashed names) come from a versioned cache; pages always from the network, and only when the
// network fails from what is stored on the device (the courses static/js/offline.js keeps), else the offline page.
// It never stores a page itself, so a signed-in page is never shown to the next person on a shared phone.
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "civichub-static-" + VERSION;
var STATIC_PREFIX = {{ static_prefix }};
var SHELL = {{ shell }};
var OFFLINE = {{ offline }};
var DEFAULT_LANGUAGE = {{ default_language }};

function offlineUrl(path) {
  for (var code in OFFLINE) {
    if (code !== DEFAULT_LANGUAGE && path.indexOf("/" + code + "/") === 0) { return OFFLINE[code]; }
  }
  return OFFLINE[DEFAULT_LANGUAGE];
}

self.addEventListener("install", function (event) {
  // The offline pages are fetched without cookies: the visitors' page, nothing personal in it.
  var pages = Object.keys(OFFLINE).map(function (code) {
    return new Request(OFFLINE[code], { credentials: "omit" });
  });
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then(function (cache) { return cache.addAll(SHELL.concat(pages)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  // Older static caches go; the courses a person keeps (civichub-course-*) stay.
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("civichub-static-") === 0 && name !== STATIC_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () {
        // The browser starts a page's request while the worker is still waking up (a slow phone takes a while).
        if (self.registration.navigationPreload) { return self.registration.navigationPreload.enable(); }
      })
      .then(function () { return self.clients.claim(); })
  );
});

function fromNetworkOrDevice(event) {
  var request = event.request;
  return Promise.resolve(event.preloadResponse).then(function (preloaded) {
    return preloaded || fetch(request);
  }).catch(function () {
    // Across every cache, so the pages of a stored course are found; the cookies a page was stored with do not
    // have to match (ignoreVary).
    return caches.match(request, { ignoreVary: true }).then(function (stored) {
      return stored || caches.match(offlineUrl(new URL(request.url).pathname), { ignoreVary: true });
    });
  });
}

function staticFile(request) {
  // This version's cache first (one lookup), then any other (a stored course may hold the file).
  return caches.match(request, { cacheName: STATIC_CACHE, ignoreVary: true }).then(function (stored) {
    return stored || caches.match(request, { ignoreVary: true });
  }).then(function (stored) {
    if (stored) { return stored; }
    return fetch(request).then(function (response) {
      // (not by a version already replaced: its cache is gone and must stay gone)
      if (response.ok && response.type === "basic" && !(self.serviceWorker && self.serviceWorker.state === "redundant")) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // forms, htmx posts: untouched
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrDevice(event));
  } else if (url.pathname.indexOf(STATIC_PREFIX) === 0 && !url.search) {
    event.respondWith(staticFile(request));
  }
});
{% endautoescape %}
