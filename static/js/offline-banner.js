// The "no network" banner on the offline pages, shown while the phone is offline.
(function (root) {
  "use strict";
  const banner = root.document.querySelector("[data-offline-banner]");
  if (!banner) { return; }
  banner.hidden = root.navigator.onLine;
  root.addEventListener("online", () => { banner.hidden = true; });
  root.addEventListener("offline", () => { banner.hidden = false; });
})(self);
