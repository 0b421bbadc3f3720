// The phone's camera, shared by the scanner and the pack screens: the back camera into a <video>, frames
// of it as pixels, a picked photo shrunk to a JPEG, and photo inputs that send their form at once.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const doc = root.document;

  function available() {
    const media = root.navigator.mediaDevices;
    return !!(media && media.getUserMedia);
  }

  // Show the back camera in the video (the caller plays it); resolve with a function that turns it off.
  async function start(video, size) {
    if (!available()) { throw new Error("this browser has no camera access"); }
    const stream = await root.navigator.mediaDevices.getUserMedia(
      {audio: false, video: Object.assign({facingMode: "environment"}, size || {})});
    video.srcObject = stream;
    return () => stream.getTracks().forEach((t) => t.stop());
  }

  // A reader of the video's current frame as ImageData, at most `edge` pixels on the long side.
  function frames(video, edge) {
    const canvas = doc.createElement("canvas");
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    return () => {
      const w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) { return null; }
      const scale = Math.min(1, edge / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      return ctx.getImageData(0, 0, canvas.width, canvas.height);
    };
  }

  // A picked photo as a JPEG at most `edge` pixels on the long side; the file itself if it cannot be drawn.
  async function shrink(file, edge, quality) {
    if (!root.createImageBitmap) { return file; }
    try {
      const bmp = await root.createImageBitmap(file, {imageOrientation: "from-image"});
      const scale = Math.min(1, edge / Math.max(bmp.width, bmp.height));
      const c = doc.createElement("canvas");
      c.width = Math.round(bmp.width * scale);
      c.height = Math.round(bmp.height * scale);
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      return await new Promise((resolve) => c.toBlob((blob) => resolve(blob || file), "image/jpeg", quality));
    } catch (e) {
      return file;  // e.g. HEIC the browser cannot draw: the server converts it
    }
  }

  // The fallback without a live camera: a photo input marked data-autosubmit sends its form once picked.
  function autosubmit(before) {
    doc.querySelectorAll("[data-autosubmit]").forEach((input) => {
      input.addEventListener("change", () => {
        if (!input.files.length) { return; }
        if (before) { before(); }
        input.form.submit();
      });
    });
  }

  OrderHub.camera = {available: available, start: start, frames: frames, shrink: shrink, autosubmit: autosubmit};
})(self);
