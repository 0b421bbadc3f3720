// The actions an order offers offline (from the route map: in which states, which field they write):
// mark outbound with the label's QR photo and a parcel photo, hand over to the courier, add a note.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {q} = OrderHub.view;
  const {url} = OrderHub.routes;
  const {fileEntry, queueAll} = OrderHub.enqueue;

  // Outbound evidence, queued in the order the server needs it: the label's QR photo, the parcel photo, the step.
  async function outbound(section, o, meta) {
    const words = OrderHub.text.words;
    const scan = q("[name=scan_photo]", section).files[0], photo = q("[name=photo]", section).files[0];
    if (!scan) { return words.scan_needed; }
    if (!photo) { return words.photo_needed; }
    const files = await Promise.all([fileEntry("photo", scan), fileEntry("photo", photo)]);
    const no = {no: o.order_no};
    return queueAll(meta, o, "outbound", [{kind: "scan", url: url("scan"), files: [files[0]]},
                                         {kind: "photo", url: url("photo", no), files: [files[1]]},
                                         {kind: "outbound", url: url("outbound", no)}]);
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
    if (!section) { return; }
    section.hidden = false;
    q("[data-submit]", section).addEventListener("click", async () => {
      const err = q("[data-error]", section);
      err.hidden = true;
      const problem = await HANDLERS[kind](section, o, meta);
      if (problem) { err.textContent = problem; err.hidden = false; return; }
      section.hidden = true;
      q("[data-saved]").hidden = false;
    });
  }

  function offer(o, meta) {
    const writable = meta.writable || [];
    Object.keys(HANDLERS).forEach((kind) => {
      const rule = OrderHub.routes.actions[kind];
      if (rule && (!rule.states || rule.states.indexOf(o.status) >= 0) && writable.indexOf(rule.field) >= 0) {
        enable(kind, o, meta);
      }
    });
  }

  OrderHub.offlineActions = {offer: offer};
})(self);
