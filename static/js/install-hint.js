// The install hint: how to add OrderHub to the home screen on Android, iOS and in WeChat; "not now"
// keeps it away for a week.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const doc = root.document;
  const DISMISSED = "orderhub-install-dismissed";
  const QUIET_MS = 7 * 24 * 3600 * 1000;

  function button(text, cls, onClick) {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function show(text, promptEvent) {
    const words = OrderHub.text.words;
    const main = doc.getElementById("main");
    if (!main || doc.querySelector("[data-install-hint]")) { return; }
    const box = doc.createElement("div");
    box.className = "install-hint";
    box.setAttribute("data-install-hint", "");
    const p = doc.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (promptEvent) {
      box.appendChild(button(words.install, "btn btn-primary", () => { promptEvent.prompt(); box.remove(); }));
    }
    box.appendChild(button(words.not_now, "btn btn-ghost", () => {
      root.localStorage.setItem(DISMISSED, String(Date.now()));
      box.remove();
    }));
    main.insertAdjacentElement("afterbegin", box);
  }

  function offer(user) {
    const words = OrderHub.text.words;
    const standalone = root.matchMedia("(display-mode: standalone)").matches || root.navigator.standalone;
    const dismissed = Number(root.localStorage.getItem(DISMISSED) || 0);
    if (!user || standalone || Date.now() - dismissed < QUIET_MS) { return; }
    const ua = root.navigator.userAgent;
    if (/MicroMessenger/.test(ua)) { show(words.install_wechat, null); return; }
    if (/iPhone|iPad|iPod/.test(ua)) { show(words.install_ios, null); return; }
    root.addEventListener("beforeinstallprompt", (ev) => {
      ev.preventDefault();
      show(words.install_android, ev);
    });
  }

  OrderHub.installHint = {offer: offer};
})(self);
