// Pack screen photo: shrink the picked photo to a JPEG of at most 1600 px in the page, upload it with
// progress, then show its thumbnail and the new count (and tell the page: a photos event).
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const EDGE = 1600, QUALITY = 0.8;
  const box = root.document.querySelector("[data-pack]");
  const form = box && box.querySelector("[data-photo-form]");
  if (!form) { return; }
  const bar = form.querySelector("[data-progress]");
  const note = form.querySelector("[data-upload-status]");
  const input = form.querySelector("input[type=file]");

  function addThumb(src) {
    const li = root.document.createElement("li"), img = root.document.createElement("img");
    img.src = src; img.alt = ""; img.width = 96; img.height = 96;
    li.appendChild(img);
    box.querySelector("[data-thumbs]").appendChild(li);
  }

  function stored(count, thumb) {
    const status = box.querySelector("[data-photo-status]");
    note.textContent = "";
    status.textContent = status.textContent.replace(/\d+/, String(count));
    addThumb(thumb);
    box.dispatchEvent(new CustomEvent(OrderHub.names.photosEvent, {detail: {count: count}, bubbles: true}));
  }

  function upload(blob) {
    const data = new root.FormData();
    data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    data.append("photo", blob, "photo.jpg");
    const xhr = new root.XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) { return; }
      const p = Math.round(100 * e.loaded / e.total);
      bar.hidden = false;
      bar.value = p;
      note.textContent = box.getAttribute("data-msg-uploading").replace("{p}", p);
    };
    xhr.onload = () => {
      bar.hidden = true;
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201) { stored(body.count, body.thumb); return; }
      note.textContent = body.message || box.getAttribute("data-msg-failed");
    };
    xhr.onerror = () => { bar.hidden = true; note.textContent = box.getAttribute("data-msg-failed"); };
    xhr.send(data);
  }

  input.addEventListener("change", () => {
    const file = input.files[0];
    if (!file) { return; }
    OrderHub.camera.shrink(file, EDGE, QUALITY).then(upload);
    input.value = "";
  });
})(self);
