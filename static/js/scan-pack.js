// Pack screen: shrink the photo to ≤ 1600 px JPEG in the page, upload it with progress, then enable
// "mark outbound" once the label was scanned (or a reason typed) and a photo is stored.
(function () {
  "use strict";
  var EDGE = 1600, QUALITY = 0.8;

  document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () { if (input.files.length) { input.form.submit(); } });
  });

  // Hand-over: live courier-barcode scanning where the browser has BarcodeDetector (else photo or typing).
  var scanBtn = document.querySelector("[data-barcode-scan]");
  if (scanBtn && "BarcodeDetector" in window) {
    scanBtn.hidden = false;
    scanBtn.addEventListener("click", function () {
      var finder = document.querySelector("[data-barcode-finder]"), video = finder.querySelector("video");
      var detector = new window.BarcodeDetector({ formats: ["code_128", "code_39", "code_93", "codabar", "ean_13", "itf", "qr_code"] });
      navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: "environment" } }).then(function (stream) {
        finder.hidden = false; video.srcObject = stream; video.play();
        (function look() {
          detector.detect(video).then(function (codes) {
            if (!codes.length) { setTimeout(look, 150); return; }
            document.querySelector("[data-tracking]").value = codes[0].rawValue;
            if (navigator.vibrate) { navigator.vibrate(150); }
            stream.getTracks().forEach(function (t) { t.stop(); });
            finder.hidden = true;
          }).catch(function () { setTimeout(look, 300); });
        })();
      }).catch(function () { scanBtn.hidden = true; });
    });
  }

  var root = document.querySelector("[data-pack]");
  if (!root) { return; }
  var photoForm = root.querySelector("[data-photo-form]");
  var button = root.querySelector("[data-outbound]");
  var reason = root.querySelector("[data-reason]");
  var hint = root.querySelector("[data-hint]");
  var photos = parseInt(root.getAttribute("data-photos"), 10) || 0;
  var scanned = root.getAttribute("data-scanned") === "1";

  function refresh() {
    if (!button) { return; }
    var ok = (scanned || (reason && reason.value.trim() !== "")) && photos > 0;
    button.disabled = !ok;
    if (hint) { hint.hidden = ok; }
  }
  if (reason) { reason.addEventListener("input", refresh); }

  function shrink(file) {
    if (!window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var scale = Math.min(1, EDGE / Math.max(bmp.width, bmp.height));
      var c = document.createElement("canvas");
      c.width = Math.round(bmp.width * scale); c.height = Math.round(bmp.height * scale);
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      return new Promise(function (resolve) {
        c.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });  // e.g. HEIC the browser cannot draw: the server converts it
  }

  function upload(blob) {
    var bar = photoForm.querySelector("[data-progress]");
    var note = photoForm.querySelector("[data-upload-status]");
    var data = new FormData();
    data.append("csrf_token", photoForm.querySelector("[name=csrf_token]").value);
    data.append("photo", blob, "photo.jpg");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", photoForm.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) { return; }
      var p = Math.round(100 * e.loaded / e.total);
      bar.hidden = false; bar.value = p;
      note.textContent = root.getAttribute("data-msg-uploading").replace("{p}", p);
    };
    xhr.onload = function () {
      bar.hidden = true;
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201) {
        photos = body.count; note.textContent = "";
        root.querySelector("[data-photo-status]").textContent = photoStatus(body.count);
        addThumb(body.thumb);
        refresh();
      } else {
        note.textContent = body.message || root.getAttribute("data-msg-failed");
      }
    };
    xhr.onerror = function () { bar.hidden = true; note.textContent = root.getAttribute("data-msg-failed"); };
    xhr.send(data);
  }

  function photoStatus(n) {
    var el = root.querySelector("[data-photo-status]");
    return el.textContent.replace(/\d+/, String(n));
  }

  function addThumb(src) {
    var li = document.createElement("li"), img = document.createElement("img");
    img.src = src; img.alt = ""; img.width = 96; img.height = 96;
    li.appendChild(img); root.querySelector("[data-thumbs]").appendChild(li);
  }

  if (photoForm) {
    var input = photoForm.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      var file = input.files[0];
      if (!file) { return; }
      shrink(file).then(upload);
      input.value = "";
    });
  }
  refresh();
})();
