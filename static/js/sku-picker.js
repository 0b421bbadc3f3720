// The product search's result list: opens where it can be seen (above the on-screen keyboard, using the
// visual viewport), arrow keys move, Enter picks, Escape closes, and it closes after every pick.
(function (root) {
  "use strict";
  const doc = root.document;
  const GAP = 8;        // px kept free between the list and the keyboard / the top of the screen
  const MIN_ROOM = 160; // below this much room under the search field, the list opens upwards

  function picker(el) {
    const field = el && el.closest && el.closest("[data-sku-picker]");
    return field ? {input: field.querySelector("#sku-search"), list: field.querySelector("#sku-results")} : null;
  }

  function hits(p) { return Array.from(p.list.querySelectorAll("[data-add-sku]")); }

  // What the user can see, in the page's client coordinates: the visual viewport ends at the keyboard,
  // and a fixed bottom tab bar inside it covers its part too.
  function visibleBox() {
    const vv = root.visualViewport;
    const box = vv ? {top: vv.offsetTop, bottom: vv.offsetTop + vv.height} : {top: 0, bottom: root.innerHeight};
    const nav = doc.querySelector(".bottomnav");
    const r = nav && nav.getBoundingClientRect();
    if (r && r.height && r.top > box.top && r.top < box.bottom) { box.bottom = r.top; }
    return box;
  }

  function place(p) {
    if (p.list.hidden) { return; }
    const box = visibleBox(), r = p.input.getBoundingClientRect();
    const below = box.bottom - r.bottom - GAP, above = r.top - box.top - GAP;
    const up = below < Math.min(MIN_ROOM, p.list.scrollHeight) && above > below;
    p.list.classList.toggle("open-up", up);
    p.list.style.maxHeight = Math.max(0, Math.floor(up ? above : below)) + "px";
  }

  function setActive(p, index) {
    hits(p).forEach((hit, i) => {
      hit.classList.toggle("active", i === index);
      hit.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        p.input.setAttribute("aria-activedescendant", hit.id);
        hit.scrollIntoView({block: "nearest"});
      }
    });
    if (index < 0) { p.input.removeAttribute("aria-activedescendant"); }
  }

  function open(p) {
    p.list.hidden = !p.list.children.length;
    p.input.setAttribute("aria-expanded", p.list.hidden ? "false" : "true");
    setActive(p, -1);
    place(p);
  }

  let picks = 0;  // bumped by every pick: an answer to a request sent before it is stale, whatever its query

  function close(p, clearQuery) {
    if (clearQuery) {
      picks += 1;
      if (root.htmx) { root.htmx.trigger(p.input, "htmx:abort"); }
      p.input.value = "";
      p.list.innerHTML = "";
    }
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    setActive(p, -1);
  }

  function activeIndex(p) { return hits(p).findIndex((hit) => hit.classList.contains("active")); }

  function onKey(evt) {
    const p = evt.target.id === "sku-search" && picker(evt.target);
    if (!p) { return; }
    const all = hits(p);
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      evt.preventDefault();
      if (p.list.hidden) { open(p); }
      if (!all.length) { return; }
      const step = evt.key === "ArrowDown" ? 1 : -1, now = activeIndex(p);
      setActive(p, now < 0 ? (step > 0 ? 0 : all.length - 1) : (now + step + all.length) % all.length);
    } else if (evt.key === "Enter") {
      evt.preventDefault();  // Enter in the search never submits the order
      const hit = all[Math.max(0, activeIndex(p))];
      if (hit && !p.list.hidden) { hit.click(); }
    } else if (evt.key === "Escape" && !p.list.hidden) {
      evt.preventDefault();
      close(p, false);
    }
  }

  doc.addEventListener("keydown", onKey);
  doc.addEventListener("focusin", (evt) => {
    const p = evt.target.id === "sku-search" && picker(evt.target);
    if (p && p.list.hidden && hits(p).length) { open(p); }
  });
  // A pick: order-form.js adds the line on this click (registered first); then the list closes.
  doc.addEventListener("click", (evt) => {
    const hit = evt.target.closest && evt.target.closest("#sku-results [data-add-sku]");
    const p = picker(evt.target);
    if (hit && p) {
      root.setTimeout(() => close(p, true), 0);
    } else if (!p) {
      doc.querySelectorAll("[data-sku-picker]").forEach((field) => close(picker(field), false));
    }
  });
  doc.addEventListener("htmx:beforeRequest", (evt) => {
    if (evt.detail.elt && evt.detail.elt.id === "sku-search") {
      evt.detail.xhr.skuQuery = evt.detail.elt.value;
      evt.detail.xhr.skuPicks = picks;
    }
  });
  // An answer for a query that is no longer typed, or to a request sent before a pick (the empty query of the
  // first focus matches the emptied field), is dropped.
  doc.addEventListener("htmx:beforeSwap", (evt) => {
    const p = evt.detail.target && evt.detail.target.id === "sku-results" && picker(evt.detail.target);
    const xhr = evt.detail.xhr;
    if (p && xhr.skuQuery !== undefined && (xhr.skuQuery !== p.input.value || xhr.skuPicks !== picks)) {
      evt.detail.shouldSwap = false;
    }
  });
  doc.addEventListener("htmx:afterSwap", (evt) => {
    const p = evt.detail.target && evt.detail.target.id === "sku-results" && picker(evt.detail.target);
    if (p) { open(p); }
  });
  const replace = () => doc.querySelectorAll("[data-sku-picker]").forEach((field) => place(picker(field)));
  if (root.visualViewport) {
    root.visualViewport.addEventListener("resize", replace);
    root.visualViewport.addEventListener("scroll", replace);
  }
  root.addEventListener("resize", replace);
})(self);
