// The status line under the top bar: how many orders the copy holds and when it was fetched, plus a link
// to what waits to sync and to sync problems.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const doc = root.document;

  function line() {
    let el = doc.querySelector("[data-offline-status]");
    if (!el) {
      el = doc.createElement("p");
      el.className = "offline-status";
      el.setAttribute("data-offline-status", "");
      el.setAttribute("role", "status");
      doc.querySelector(".topbar").insertAdjacentElement("afterend", el);
    }
    return el;
  }

  function syncLink(waiting, problems) {
    const {words, fmt} = OrderHub.text;
    const link = doc.createElement("a");
    link.href = OrderHub.routes.url("offline_sync");
    link.className = "offline-status-link";
    link.textContent = " · " + (waiting ? fmt(words.waiting, {n: waiting}) : "") +
      (problems ? (waiting ? " · " : "") + fmt(words.problems, {n: problems}) : "");
    return link;
  }

  // Pages of a logged-in user carry the line's (reserved) place; elsewhere it is added only to be shown.
  async function draw(user) {
    if (!doc.querySelector(".topbar")) { return; }
    let el = doc.querySelector("[data-offline-status]");
    const {words, fmt, clock} = OrderHub.text;
    const store = OrderHub.store;
    try {
      const [meta, queue, problems] = await Promise.all([store.getMeta("copy"), store.queued(null), store.problems(null)]);
      const mine = (e) => meta && String(e.user) === String(meta.user.id);
      const waiting = queue.filter(mine).length, stuck = problems.filter(mine).length;
      if (!meta && !user) { if (el) { el.hidden = true; } return; }
      el = el || line();
      el.hidden = false;
      el.classList.toggle("is-offline", !root.navigator.onLine);
      el.textContent = "● " + (meta ? fmt(words.status, {n: meta.count, t: clock(meta.fetched_at, meta.tz)})
                                    : words.status_never);
      if (waiting || stuck) { el.appendChild(syncLink(waiting, stuck)); }
      doc.querySelectorAll("[data-waiting-count]").forEach((c) => { c.textContent = waiting ? "(" + waiting + ")" : ""; });
    } catch (e) { if (el) { el.hidden = true; } }
  }

  OrderHub.status = {draw: draw};
})(self);
