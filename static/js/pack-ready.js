// Pack screen: "mark outbound" is enabled once the label was scanned (or a reason typed) and a photo is stored.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const box = root.document.querySelector("[data-pack]");
  const button = box && box.querySelector("[data-outbound]");
  if (!button) { return; }
  const reason = box.querySelector("[data-reason]");
  const hint = box.querySelector("[data-hint]");
  const scanned = box.getAttribute("data-scanned") === "1";
  let photos = parseInt(box.getAttribute("data-photos"), 10) || 0;

  function refresh() {
    const ok = (scanned || (reason && reason.value.trim() !== "")) && photos > 0;
    button.disabled = !ok;
    if (hint) { hint.hidden = ok; }
  }

  if (reason) { reason.addEventListener("input", refresh); }
  box.addEventListener(OrderHub.names.photosEvent, (ev) => { photos = ev.detail.count; refresh(); });
  refresh();
})(self);
