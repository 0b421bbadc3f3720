// Live QR scanning: the browser's BarcodeDetector where it exists, else jsQR fetched only now.
(function () {
  "use strict";
  var root = document.querySelector("[data-scanner]");
  if (!root) { return; }
  var video = root.querySelector("[data-video]");
  var finder = root.querySelector("[data-viewfinder]");
  var status = root.querySelector("[data-camera-status]");
  var form = root.querySelector("[data-code-form]");
  var rejected = root.getAttribute("data-rejected");
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null, done = false;

  document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.files.length) { say(root.getAttribute("data-msg-reading")); stop(); input.form.submit(); }
    });
  });

  function say(text) { if (status && text) { status.textContent = text; } }

  function stop() {
    done = true;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
  }

  function isLabel(text) { return /\/o\/[A-Za-z0-9_-]+\?s=/.test(text); }

  function found(text) {
    if (done || text === rejected) { return; }
    if (!isLabel(text)) { rejected = text; say(root.getAttribute("data-msg-foreign")); return; }
    stop();
    finder.classList.add("found");
    if (navigator.vibrate) { navigator.vibrate(150); }
    say(root.getAttribute("data-msg-reading"));
    form.querySelector("[data-code]").value = text;
    form.submit();
  }

  function frame() {
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return null; }
    var scale = Math.min(1, 720 / Math.max(w, h));
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    return ctx.getImageData(0, 0, canvas.width, canvas.height);
  }

  function jsqrDecoder() {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root.getAttribute("data-decoder");
      s.onload = function () {
        resolve(function () {
          var img = frame();
          var hit = img && window.jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
          return Promise.resolve(hit ? hit.data : null);
        });
      };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function pickDecoder() {
    if (!("BarcodeDetector" in window)) { return jsqrDecoder(); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) { return jsqrDecoder(); }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      };
    });
  }

  function loop(decode) {
    if (done) { return; }
    decode().then(function (text) { if (text) { found(text); } })
      .catch(function () { /* a bad frame: try the next one */ })
      .then(function () { if (!done) { setTimeout(function () { loop(decode); }, 120); } });
  }

  function noCamera() { finder.hidden = true; say(root.getAttribute("data-msg-nocamera")); }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { noCamera(); return; }
  navigator.mediaDevices.getUserMedia({ audio: false,
    video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } } })
    .then(function (s) {
      stream = s; video.srcObject = s; finder.hidden = false;
      return video.play().then(pickDecoder).then(loop);
    })
    .catch(noCamera);
  window.addEventListener("pagehide", stop);
})();
