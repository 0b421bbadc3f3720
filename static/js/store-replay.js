// Replay of the queued actions, oldest first, each with its Idempotency-Key: what each answer means
// (done, a sync problem, or try again later), one replay at a time across tabs and the service worker.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {tx} = OrderHub.idb;
  const store = OrderHub.store;
  let running = null;

  function body(entry) {
    const fd = new root.FormData();
    (entry.fields || []).forEach((kv) => fd.append(kv[0], kv[1]));
    (entry.files || []).forEach((f) => fd.append(f.field, new root.Blob([f.data], {type: f.type}), f.name));
    return fd;
  }

  async function fetchState(f) {
    const resp = await f(OrderHub.routes.url("state"), {credentials: "same-origin", cache: "no-store",
                                                         headers: {"Accept": "application/json"}});
    return resp.ok ? resp.json() : null;
  }

  // What an answer means for a queued action: done, a problem to show, or try again later.
  async function classify(resp) {
    if (resp.type === "opaqueredirect" || (resp.status >= 200 && resp.status < 400)) { return {kind: "done"}; }
    const b = await resp.clone().json().catch(() => ({}));
    const code = b.error || "", message = b.message || "";
    if (resp.status === 401) { return {kind: "retry", stop: true, message: message}; }
    if (resp.status === 400 && code === "csrf_failed") { return {kind: "csrf"}; }
    if (resp.status === 409 && code === "idempotency_in_progress") { return {kind: "retry", stop: false}; }
    if (resp.status === 408 || resp.status === 429 || resp.status >= 500) {
      return {kind: "retry", stop: true, message: message};
    }
    return {kind: "problem", status: resp.status, code: code, message: message, fields: b.fields || []};
  }

  function send(f, entry, state) {
    return f(entry.url, {method: entry.method || "POST", body: body(entry), credentials: "same-origin",
                         redirect: "manual", headers: {
        "Accept": "application/json", "Idempotency-Key": entry.id, "X-CSRFToken": state.csrf,
        "X-OrderHub-Via": "offline", "X-Device-Time": entry.device_at, "X-OrderHub-Replay": state.replay || ""}});
  }

  function settle(entry, outcome) {
    if (outcome.kind === "done") { return tx(["queue"], "readwrite", (s) => { s.delete(entry.id); }); }
    if (outcome.kind === "problem") {
      return tx(["queue", "problems"], "readwrite", (q, p) => {
        q.delete(entry.id);
        p.put({id: entry.id, user: entry.user, kind: entry.kind, group: entry.group, label: entry.label,
               order_no: entry.order_no,
               url: entry.url, seq: entry.seq, device_at: entry.device_at, synced_at: new Date().toISOString(),
               status: outcome.status, code: outcome.code, message: outcome.message, fields: outcome.fields});
      });
    }
    entry.attempts += 1;
    entry.last_error = outcome.message || "";
    return tx(["queue"], "readwrite", (s) => { s.put(entry); });
  }

  // A step of an action whose earlier step was refused is not sent: it carries that step's reason, so the
  // outbound of a wrongly scanned label says so instead of "missing evidence".
  function skipped(cause) {
    return {kind: "problem", status: cause.status, code: cause.code, message: cause.message, fields: cause.fields || []};
  }

  // Send one entry; resolve true when the replay should stop here (offline, or the server asks to wait).
  async function attempt(f, entry, state, report, tries) {
    let outcome;
    const cause = entry.group && report.refused[entry.group];
    if (cause) {
      report.problems += 1;
      await settle(entry, skipped(cause));
      return false;
    }
    try { outcome = await classify(await send(f, entry, state)); } catch (e) { report.offline = true; return true; }
    if (outcome.kind === "csrf" && tries === 0) {
      const fresh = await fetchState(f);
      state.csrf = fresh && fresh.csrf;
      state.replay = fresh && fresh.replay;
      return attempt(f, entry, state, report, 1);
    }
    if (outcome.kind === "csrf") { outcome = {kind: "retry", stop: true}; }
    if (outcome.kind === "done") { report.sent += 1; }
    if (outcome.kind === "problem") {
      report.problems += 1;
      if (entry.group) { report.refused[entry.group] = outcome; }
    }
    await settle(entry, outcome);
    return outcome.kind === "retry" && outcome.stop;
  }

  // Send every queued action of the logged-in user, oldest first; stop at the first network failure.
  async function replayOnce(f) {
    const report = {sent: 0, problems: 0, offline: false, user: null, refused: {}};
    // Nothing waits on this device: no need to ask the server who is logged in (one request less per page).
    if (!(await store.queued(null)).length) { return report; }
    const state = await fetchState(f).catch(() => { report.offline = true; return null; });
    if (!state || !state.user) { return report; }
    report.user = state.user;
    (await store.problems(state.user)).forEach((p) => { if (p.group) { report.refused[p.group] = p; } });
    for (const entry of await store.queued(state.user)) {
      if (await attempt(f, entry, state, report, 0)) { break; }
    }
    return report;
  }

  function replay(opts) {
    const f = (opts && opts.fetch) || root.fetch.bind(root);
    const locks = root.navigator && root.navigator.locks;
    if (locks && locks.request) { return locks.request(OrderHub.names.replayLock, () => replayOnce(f)); }
    if (!running) {
      const done = (r) => { running = null; return r; };
      running = replayOnce(f).then(done, (e) => { done(); throw e; });
    }
    return running;
  }

  store.replay = replay;
})(self);
