// Queue what an offline page's form asks for: its requests in order, as one group on the sync list.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};

  // A picked file as a queue entry's file: its bytes, name and type.
  async function fileEntry(field, file) {
    const data = await (file.arrayBuffer ? file.arrayBuffer() : new Promise((resolve, reject) => {
      const fr = new root.FileReader();
      fr.onload = () => resolve(fr.result);
      fr.onerror = () => reject(fr.error);
      fr.readAsArrayBuffer(file);
    }));
    return {field: field, name: file.name || "photo.jpg", type: file.type || "image/jpeg", data: data};
  }

  // Queue requests in order; they share a group so the sync list shows them as one action.
  async function queueAll(meta, order, kind, steps) {
    const store = OrderHub.store;
    const group = store.uuid();
    for (const step of steps) {
      await store.enqueue({user: meta.user ? meta.user.id : null, kind: step.kind || kind, group: group,
                           order_no: order ? order.order_no : null, url: step.url, fields: step.fields || [],
                           files: step.files || [], label: step.label || ""});
    }
    OrderHub.sync.queued();
    return null;
  }

  OrderHub.enqueue = {fileEntry: fileEntry, queueAll: queueAll};
})(self);
