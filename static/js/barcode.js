// Reading codes from the live camera: the browser's BarcodeDetector where it reads the wanted formats,
// else (for QR codes) jsQR, fetched only then; and a loop that reads frame after frame until it is done.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};

  function load(src) {
    return new Promise((resolve, reject) => {
      const s = root.document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      root.document.head.appendChild(s);
    });
  }

  async function jsqr(video, src) {
    await load(src);
    const frame = OrderHub.camera.frames(video, 720);
    return async () => {
      const img = frame();
      const hit = img && root.jsQR(img.data, img.width, img.height, {inversionAttempts: "attemptBoth"});
      return hit ? hit.data : null;
    };
  }

  // A function that reads one code from the video's current frame (null when it sees none).
  async function reader(video, formats, jsqrSrc) {
    if ("BarcodeDetector" in root) {
      const supported = await root.BarcodeDetector.getSupportedFormats();
      const wanted = formats.filter((f) => supported.indexOf(f) >= 0);
      if (wanted.length) {
        const detector = new root.BarcodeDetector({formats: wanted});
        return async () => {
          const codes = await detector.detect(video);
          return codes.length ? codes[0].rawValue : null;
        };
      }
    }
    if (jsqrSrc && formats.indexOf("qr_code") >= 0) { return jsqr(video, jsqrSrc); }
    throw new Error("this browser cannot read these codes");
  }

  // Read until onText(text) returns true or the returned stop() is called; a bad frame is skipped.
  function watch(read, onText, pauseMs) {
    let stopped = false;
    async function next() {
      try {
        const text = await read();
        if (!stopped && text && onText(text)) { stopped = true; }
      } catch (e) { /* a bad frame: try the next one */ }
      if (!stopped) { root.setTimeout(next, pauseMs); }
    }
    next();
    return () => { stopped = true; };
  }

  OrderHub.barcode = {reader: reader, watch: watch};
})(self);
