// Hand-over: read the courier's barcode with the live camera where the browser has BarcodeDetector
// (else a photo of it, or typing) into the tracking number.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const FORMATS = ["code_128", "code_39", "code_93", "codabar", "ean_13", "itf", "qr_code"];
  const button = root.document.querySelector("[data-barcode-scan]");
  OrderHub.camera.autosubmit(null);
  if (!button || !("BarcodeDetector" in root)) { return; }
  const finder = root.document.querySelector("[data-barcode-finder]");
  const video = finder.querySelector("video");

  async function scan() {
    const stopCamera = await OrderHub.camera.start(video, null);
    finder.hidden = false;
    video.play();
    const read = await OrderHub.barcode.reader(video, FORMATS, null);
    OrderHub.barcode.watch(read, (text) => {
      root.document.querySelector("[data-tracking]").value = text;
      if (root.navigator.vibrate) { root.navigator.vibrate(150); }
      stopCamera();
      finder.hidden = true;
      return true;
    }, 150);
  }

  button.hidden = false;
  button.addEventListener("click", () => { scan().catch(() => { button.hidden = true; }); });
})(self);
