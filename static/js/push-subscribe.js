// "Turn on notifications": subscribe this device with the VAPID key and tell the server (with the CSRF
// header); "turn off" undoes both.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const box = root.document.getElementById("notify-devices");
  if (!box) { return; }
  const enable = box.querySelector("[data-push-enable]");
  const disable = box.querySelector("[data-push-disable]");
  const status = box.querySelector("[data-push-status]");

  function text(name) {
    const el = box.querySelector("[data-msg-" + name + "]");
    return el ? el.textContent : name;
  }
  function say(name) { status.textContent = text(name); }
  function csrfToken() {
    try { return JSON.parse(root.document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function keyBytes(b64) {
    const padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(root.atob(padded), (c) => c.charCodeAt(0));
  }
  async function send(method, body) {
    const resp = await root.fetch(OrderHub.routes.url("push_subscriptions"), {
      method: method, credentials: "same-origin", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()}});
    if (!resp.ok && resp.status !== 404) { throw new Error("HTTP " + resp.status); }
    return resp;
  }
  async function registration() {
    await OrderHub.worker.register();
    return root.navigator.serviceWorker.ready;
  }
  function known(endpoint) {
    return Array.from(box.querySelectorAll("[data-endpoint]")).find((row) => row.getAttribute("data-endpoint") === endpoint) || null;
  }
  function show(sub) {
    const row = sub ? known(sub.endpoint) : null;
    enable.hidden = !!row;
    disable.hidden = !row;
    if (row) {
      const badge = row.querySelector(".this-device");
      badge.textContent = text("this");
      badge.hidden = false;
    }
    say(row ? "on" : "off");
  }

  async function turnOn() {
    say("working");
    if (await root.Notification.requestPermission() !== "granted") { say("denied"); return; }
    const reg = await registration();
    const sub = await reg.pushManager.subscribe({userVisibleOnly: true,
                                                 applicationServerKey: keyBytes(box.getAttribute("data-vapid-key"))});
    await send("POST", sub.toJSON());
    root.location.reload();
  }

  async function turnOff() {
    say("working");
    const sub = await (await registration()).pushManager.getSubscription();
    if (sub) {
      await send("DELETE", {endpoint: sub.endpoint});
      await sub.unsubscribe();
    }
    root.location.reload();
  }

  if (!("serviceWorker" in root.navigator) || !("PushManager" in root) || !("Notification" in root)) {
    enable.disabled = true;
    say("unsupported");
    return;
  }
  registration().then((reg) => reg.pushManager.getSubscription()).then(show).catch(() => say("off"));
  enable.addEventListener("click", () => { turnOn().catch(() => say("error")); });
  disable.addEventListener("click", () => { turnOff().catch(() => say("error")); });
})(self);
