// The sync page: actions waiting to sync and sync problems (each can be removed), and "sync now".
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const {el, q, entryRow} = OrderHub.view;
  if (OrderHub.view.page() !== "sync") { return; }
  const {words, fmt} = OrderHub.text;

  function problemRow(p, tz) {
    const li = entryRow(p, tz);
    li.classList.add("sync-problem");
    li.appendChild(el("span", "row-sub", fmt(words.what_happened, {m: p.message || fmt(words.http_error, {s: p.status})})));
    const b = el("button", "btn btn-ghost", words.dismiss);
    b.type = "button";
    b.addEventListener("click", () => OrderHub.store.removeProblem(p.id).then(draw));
    li.appendChild(b);
    return li;
  }

  async function draw() {
    const store = OrderHub.store;
    const meta = await store.getMeta("copy");
    const uid = meta ? meta.user.id : null, tz = meta ? meta.tz : undefined;
    const [waiting, problems] = await Promise.all([store.queued(uid), store.problems(uid)]);
    q("[data-waiting-title]").textContent = fmt(words.waiting, {n: waiting.length});
    q("[data-problems-title]").textContent = fmt(words.problems, {n: problems.length});
    const wl = q("[data-waiting-list]"), pl = q("[data-problem-list]");
    wl.textContent = "";
    pl.textContent = "";
    waiting.forEach((e) => wl.appendChild(entryRow(e, tz)));
    problems.forEach((p) => pl.appendChild(problemRow(p, tz)));
  }

  q("[data-sync-now]").addEventListener("click", () => OrderHub.sync.run().then(draw));
  root.addEventListener(OrderHub.names.queueEvent, draw);
  draw();
})(self);
