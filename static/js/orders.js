// Order form: add/remove lines inline, quantity steppers, live totals in integer fen (agrees with the server).
(function (root) {
  "use strict";

  // Parse typed money ("1,234.5", "¥12") into integer fen; null when not a valid amount (max two decimals).
  function parseFen(text) {
    var raw = String(text == null ? "" : text).trim().replace(/[,¥\s]/g, "");
    if (raw === "") return 0;
    var m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(raw);
    if (!m) return null;
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10);
  }

  // The server's arithmetic (webapp.orders.services.compute_totals) on integer fen.
  // lines: [{priceFen, costFen, quantity}]; returns {goods, due, cost, profit} in fen.
  function computeTotals(lines, discountFen, shippingFen) {
    var goods = 0, cost = 0;
    lines.forEach(function (ln) {
      goods += ln.priceFen * ln.quantity;
      cost += (ln.costFen || 0) * ln.quantity;
    });
    var due = goods - discountFen, costTotal = cost + shippingFen;
    return { goods: goods, due: due, cost: costTotal, profit: due - costTotal };
  }

  function formatFen(fen) {
    var sign = fen < 0 ? "−" : "", abs = Math.abs(fen);
    var yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "¥" + yuan + "." + String(abs % 100).padStart(2, "0");
  }

  var api = { parseFen: parseFen, computeTotals: computeTotals, formatFen: formatFen };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }
  root.OrderHubOrders = api;

  function readLines(form) {
    return Array.prototype.map.call(form.querySelectorAll("[data-line]"), function (row) {
      var qty = row.querySelector(".qty").value.trim();
      return {
        priceFen: parseInt(row.getAttribute("data-price-fen") || "0", 10),
        costFen: parseInt(row.getAttribute("data-cost-fen") || "0", 10),
        quantity: /^\d+$/.test(qty) ? parseInt(qty, 10) : 0
      };
    });
  }

  function recalc(form) {
    var discount = parseFen((form.querySelector("[name=discount]") || {}).value) || 0;
    var shipping = parseFen((form.querySelector("[name=shipping_fee]") || {}).value) || 0;
    var t = computeTotals(readLines(form), discount, shipping);
    var map = { goods: t.goods, due: t.due, cost: t.cost, profit: t.profit };
    Object.keys(map).forEach(function (key) {
      var out = form.querySelector('[data-out="' + key + '"]');
      if (out) { out.textContent = formatFen(map[key]); out.classList.toggle("negative", map[key] < 0); }
    });
    var empty = form.querySelector("[data-empty-lines]");
    if (empty) empty.hidden = form.querySelectorAll("[data-line]").length > 0;
  }

  function nextIndex(form) {
    var max = -1;
    form.querySelectorAll("[data-line] input[name$='-sku']").forEach(function (input) {
      var n = parseInt(input.name.split("-")[1], 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  function addLine(form, hit) {
    var sku = hit.getAttribute("data-add-sku");
    var existing = form.querySelector('[data-line][data-sku="' + sku + '"] .qty');
    if (existing) { existing.value = (parseInt(existing.value, 10) || 0) + 1; return; }
    var tpl = form.querySelector("#line-template");
    var i = nextIndex(form);
    var holder = document.createElement("tbody");
    holder.innerHTML = tpl.innerHTML.replace(/__i__/g, String(i));
    var row = holder.querySelector("tr");
    row.setAttribute("data-sku", sku);
    ["price-fen", "cost-fen"].forEach(function (k) {
      if (hit.hasAttribute("data-" + k)) row.setAttribute("data-" + k, hit.getAttribute("data-" + k));
    });
    row.querySelector(".line-title").textContent = hit.getAttribute("data-name");
    row.querySelector("small").textContent = sku;
    row.querySelector("input[type=hidden]").value = sku;
    row.querySelector(".line-price").textContent = hit.getAttribute("data-price") || "";
    form.querySelector("[data-lines]").appendChild(row);
  }

  function onClick(evt) {
    var form = evt.target.closest("[data-order-form]");
    if (!form) return;
    var hit = evt.target.closest("[data-add-sku]");
    var step = evt.target.closest("[data-qty]");
    var remove = evt.target.closest("[data-remove]");
    if (hit) {
      addLine(form, hit);
    } else if (step) {
      var qty = step.parentNode.querySelector(".qty");
      qty.value = Math.max(1, (parseInt(qty.value, 10) || 0) + parseInt(step.getAttribute("data-qty"), 10));
    } else if (remove) {
      remove.closest("[data-line]").remove();
    } else {
      return;
    }
    recalc(form);
  }

  document.addEventListener("click", onClick);
  // Enter in the SKU search adds the first hit instead of submitting the order.
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter" || !evt.target.matches || !evt.target.matches("#sku-search")) return;
    evt.preventDefault();
    var form = evt.target.closest("[data-order-form]");
    var first = form && form.querySelector("#sku-results [data-add-sku]");
    if (first) { addLine(form, first); recalc(form); }
  });
  document.addEventListener("input", function (evt) {
    var form = evt.target.closest && evt.target.closest("[data-order-form]");
    if (form) recalc(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-order-form]").forEach(recalc);
  });
})(this);
