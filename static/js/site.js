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
})();
