// The route map the server emits (webapp/offline/routes.py): named URLs with {no} stand-ins, offline
// actions and the vocabulary. Pages read it from <script id="orderhub-routes">; sw.js has it filled in.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};

  function load() {
    const el = root.document && root.document.getElementById("orderhub-routes");
    if (el) { return JSON.parse(el.textContent); }
    return OrderHub.routeMap || {urls: {}, actions: {}, vocab: {}};
  }

  const map = load();

  function escape(text) { return text.replace(/[.*+?^$()|[\]\\]/g, "\\$&"); }

  function template(name) {
    const value = map.urls[name];
    if (value == null) { throw new Error("the route map has no URL named " + name); }
    return value;
  }

  // A named URL with its {stand-ins} filled in: url("pack", {no: "SO1"}).
  function url(name, params) {
    return template(name).replace(/\{(\w+)\}/g, (_m, key) => encodeURIComponent(params[key]));
  }

  // A named URL as a pattern: whole paths (a trailing slash allowed), or anywhere in a text when `within`.
  function pattern(name, within) {
    const body = template(name).split(/\{\w+\}/).map(escape).join("([^/?#]+)");
    return within ? new RegExp(body) : new RegExp("^" + body + "/?$");
  }

  // The first stand-in of the first named URL the path matches (an order number), else null.
  function param(names, path) {
    for (const name of names) {
      const m = pattern(name).exec(path);
      if (m) { return decodeURIComponent(m[1] || ""); }
    }
    return null;
  }

  OrderHub.routes = {url: url, pattern: pattern, param: param, actions: map.actions || {},
                     vocab: map.vocab || {}, worker: map.worker || {}};
})(self);
