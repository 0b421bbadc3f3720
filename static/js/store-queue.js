// The queue of actions taken offline and the list of sync problems, one user's entries oldest first.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {tx, readAll} = OrderHub.idb;
  let seq = 0;

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    const b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // Queue one request: {user, kind, label, order_no, url, fields: [[k, v]], files: [{field, name, type, data}]}.
  async function enqueue(entry) {
    const now = new Date();
    entry.id = entry.id || uuid();
    entry.device_at = entry.device_at || now.toISOString();
    entry.seq = entry.seq || now.getTime() * 1000 + (seq++ % 1000);
    entry.attempts = entry.attempts || 0;
    await tx(["queue"], "readwrite", (s) => { s.put(entry); });
    return entry;
  }

  async function entriesOf(name, user) {
    return (await readAll(name)).filter((e) => user == null || String(e.user) === String(user))
      .sort((a, b) => a.seq - b.seq);
  }

  const queued = (user) => entriesOf("queue", user);
  const problems = (user) => entriesOf("problems", user);
  const removeProblem = (id) => tx(["problems"], "readwrite", (s) => { s.delete(id); });

  Object.assign(OrderHub.store, {uuid: uuid, enqueue: enqueue, queued: queued, problems: problems,
                                 removeProblem: removeProblem});
})(self);
