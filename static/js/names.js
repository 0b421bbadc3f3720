// Names the pages and the service worker share: cache prefixes, the sync tag and lock, messages and events.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  OrderHub.names = {
    cachePrefix: "orderhub-", pagesCache: "orderhub-pages", syncTag: "orderhub-replay", replayLock: "orderhub-replay",
    purgeMessage: "orderhub:purge", syncedMessage: "orderhub:synced",
    copyEvent: "orderhub:copy", queueEvent: "orderhub:queue", photosEvent: "orderhub:photos"
  };
})(self);
