// "Turn on notifications": register /sw.js, subscribe with the VAPID key, tell the server (with the CSRF header).
(function () {
  "use strict";
  var root = document.getElementById("notify-devices");
  if (!root) { return; }
  var enable = root.querySelector("[data-push-enable]");
  var disable = root.querySelector("[data-push-disable]");
  var status = root.querySelector("[data-push-status]");

  function text(name) {
    var el = root.querySelector("[data-msg-" + name + "]");
    return el ? el.textContent : name;
  }
  function say(name) { status.textContent = text(name); }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function keyBytes(b64) {
    var padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function send(method, body) {
    return fetch(root.getAttribute("data-subscribe-url"), {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (resp) {
      if (!resp.ok && resp.status !== 404) { throw new Error("HTTP " + resp.status); }
      return resp;
    });
  }
  function registration() {
    return navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; });
  }
  function known(endpoint) {
    var rows = root.querySelectorAll("[data-endpoint]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-endpoint") === endpoint) { return rows[i]; }
    }
    return null;
  }
  function show(sub) {
    var row = sub ? known(sub.endpoint) : null;
    enable.hidden = !!row;
    disable.hidden = !row;
    if (row) {
      var badge = row.querySelector(".this-device");
      badge.textContent = text("this");
      badge.hidden = false;
    }
    say(row ? "on" : "off");
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    enable.disabled = true;
    say("unsupported");
    return;
  }
  registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(show)
    .catch(function () { say("off"); });

  enable.addEventListener("click", function () {
    say("working");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true,
          applicationServerKey: keyBytes(root.getAttribute("data-vapid-key")) });
      }).then(function (sub) { return send("POST", sub.toJSON()); })
        .then(function () { window.location.reload(); });
    }).catch(function () { say("error"); });
  });

  disable.addEventListener("click", function () {
    say("working");
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) { return null; }
      return send("DELETE", { endpoint: sub.endpoint }).then(function () { return sub.unsubscribe(); });
    }).then(function () { window.location.reload(); }).catch(function () { say("error"); });
  });
})();
