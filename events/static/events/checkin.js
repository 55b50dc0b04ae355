// Check-in at the door: scan the registration's QR code with the camera where the browser can (BarcodeDetector),
// then send the same form staff type a code into. Without JavaScript or a camera the typed form is all there is.
(function () {
  "use strict";
  var box = document.querySelector("[data-event-scan]");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var form = document.querySelector("form.event-checkin");
  var input = form && form.querySelector("input[name=code]");
  var button = box.querySelector("button");
  var video = box.querySelector("video");
  if (!form || !input || !button || !video) {
    return;
  }
  box.hidden = false;
  var stream = null;
  var detector = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    button.textContent = box.dataset.start;
  }

  function scan() {
    if (!stream) {
      return;
    }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        input.value = codes[0].rawValue;
        stop();
        form.submit();
      } else {
        window.setTimeout(scan, 250);
      }
    }).catch(function () { window.setTimeout(scan, 500); });
  }

  button.addEventListener("click", function () {
    if (stream) {
      stop();
      return;
    }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      button.textContent = box.dataset.stop;
      return video.play();
    }).then(scan).catch(function () {
      stop();
      box.querySelector("[data-event-scan-error]").hidden = false;
    });
  });
})();
