// The scan screen: read an order label's QR code with the live camera and open the order; without a
// camera, a photo of the label or the typed number.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const box = root.document.querySelector("[data-scanner]");
  if (!box) { return; }
  const video = box.querySelector("[data-video]");
  const finder = box.querySelector("[data-viewfinder]");
  const status = box.querySelector("[data-camera-status]");
  const form = box.querySelector("[data-code-form]");
  let rejected = box.getAttribute("data-rejected");
  let closed = false, stopCamera = () => null, stopReading = () => null;

  function say(name) {
    const text = box.getAttribute("data-msg-" + name);
    if (status && text) { status.textContent = text; }
  }

  function stop() {
    closed = true;
    stopReading();
    stopCamera();
  }

  // Take our own labels only; tell the user once about any other QR code.
  function found(text) {
    if (text === rejected) { return false; }
    if (!OrderHub.routes.pattern("label_code", true).test(text)) { rejected = text; say("foreign"); return false; }
    stop();
    finder.classList.add("found");
    if (root.navigator.vibrate) { root.navigator.vibrate(150); }
    say("reading");
    form.querySelector("[data-code]").value = text;
    form.submit();
    return true;
  }

  async function open() {
    stopCamera = await OrderHub.camera.start(video, {width: {ideal: 1280}, height: {ideal: 720}});
    if (closed) { stopCamera(); return; }
    finder.hidden = false;
    await video.play();
    const read = await OrderHub.barcode.reader(video, ["qr_code"], box.getAttribute("data-decoder"));
    if (!closed) { stopReading = OrderHub.barcode.watch(read, found, 120); }
  }

  OrderHub.camera.autosubmit(() => { say("reading"); stop(); });
  open().catch(() => { finder.hidden = true; say("nocamera"); });
  root.addEventListener("pagehide", stop);
})(self);
