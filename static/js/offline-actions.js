// The actions an order offers offline (from the route map: in which states, which field they write):
// mark outbound with the label's QR photo and a parcel photo, hand over to the courier, add a note.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {q} = OrderHub.view;
  const {url} = OrderHub.routes;
  const {fileEntry, queueAll} = OrderHub.enqueue;

  // Outbound evidence, queued in the order the server needs it: this order's label scan (refused by name when
  // the photo shows another order's label), the parcel photo, the step.
  async function outbound(section, o, meta) {
    const words = OrderHub.text.words;
    const scan = q("[name=scan_photo]", section).files[0], photo = q("[name=photo]", section).files[0];
    if (!scan) { return words.scan_needed; }
    if (!photo) { return words.photo_needed; }
    const files = await Promise.all([fileEntry("photo", scan), fileEntry("photo", photo)]);
    const no = {no: o.order_no};
    return queueAll(meta, o, "outbound", [{kind: "scan", url: url("scan_for", no), files: [files[0]]},
                                         {kind: "photo", url: url("photo", no), files: [files[1]]},
                                         {kind: "outbound", url: url("outbound", no)}]);
  }

  // As on the online pack screen: the outbound button waits for both photos; a picked photo shows a tick.
  function watchFiles(section) {
    const inputs = section.querySelectorAll("input[type=file]");
    const button = q("[data-submit]", section), hint = q("[data-hint]", section);
    const refresh = () => {
      let ready = true;
      inputs.forEach((input) => {
        const picked = input.files && input.files.length > 0;
        const tick = input.parentNode.querySelector("[data-picked]");
        if (tick) { tick.hidden = !picked; }
        ready = ready && picked;
      });
      if (button) { button.disabled = !ready; }
      if (hint) { hint.hidden = ready; }
    };
    inputs.forEach((input) => input.addEventListener("change", refresh));
    refresh();
  }

  async function handover(section, o, meta) {
    const carrier = q("[name=carrier]", section).value.trim(), tracking = q("[name=tracking_no]", section).value.trim();
    if (!carrier || !tracking) { return (OrderHub.text.words.fields || {}).tracking_no || "tracking_no"; }
    return queueAll(meta, o, "handover", [{url: url("handover", {no: o.order_no}),
                                           fields: [["carrier", carrier], ["tracking_no", tracking]]}]);
  }

  async function note(section, o, meta) {
    const text = q("[name=note]", section).value.trim();
    if (!text) { return (OrderHub.text.words.fields || {}).notes || "notes"; }
    return queueAll(meta, o, "note", [{url: url("note", {no: o.order_no}), fields: [["note", text]]}]);
  }

  const HANDLERS = {outbound: outbound, handover: handover, note: note};

  function enable(kind, o, meta) {
    const section = q('[data-action="' + kind + '"]');
    if (!section || section.dataset.bound) { return; }
    section.dataset.bound = "1";
    section.hidden = false;
    if (section.querySelector("input[type=file]")) { watchFiles(section); }
    q("[data-submit]", section).addEventListener("click", async () => {
      const err = q("[data-error]", section);
      err.hidden = true;
      const problem = await HANDLERS[kind](section, o, meta);
      if (problem) { err.textContent = problem; err.hidden = false; return; }
      section.hidden = true;
      q("[data-saved]").hidden = false;
    });
  }

  function offered(kind, o, meta) {
    const rule = OrderHub.routes.actions[kind];
    return !!rule && (!rule.states || rule.states.indexOf(o.status) >= 0) &&
      (meta.writable || []).indexOf(rule.field) >= 0;
  }

  function offer(o, meta) {
    Object.keys(HANDLERS).forEach((kind) => { if (offered(kind, o, meta)) { enable(kind, o, meta); } });
  }

  // The server's state came back (after a sync): put away what this order no longer offers.
  function withdraw(o, meta) {
    Object.keys(HANDLERS).forEach((kind) => {
      const section = q('[data-action="' + kind + '"]');
      if (section && !offered(kind, o, meta)) { section.hidden = true; }
    });
  }

  // The server refused what was queued: offer the actions again, with empty photo fields, to do it over.
  function reopen(o, meta) {
    Object.keys(HANDLERS).forEach((kind) => {
      const section = q('[data-action="' + kind + '"]');
      if (!section || !section.dataset.bound || !offered(kind, o, meta)) { return; }
      section.querySelectorAll("input[type=file]").forEach((input) => {
        input.value = "";
        input.dispatchEvent(new Event("change"));
      });
      section.hidden = false;
    });
  }

  OrderHub.offlineActions = {offer: offer, withdraw: withdraw, reopen: reopen};
})(self);
