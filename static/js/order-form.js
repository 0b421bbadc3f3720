// The order form: add lines from the SKU search, quantity steppers, remove lines, live totals in fen.
(function (root) {
  "use strict";
  const doc = root.document;
  const {parseFen, computeTotals, formatFen} = root.OrderHub.money;

  function readLines(form) {
    return Array.from(form.querySelectorAll("[data-line]"), (row) => {
      const qty = row.querySelector(".qty").value.trim();
      return {priceFen: parseInt(row.getAttribute("data-price-fen") || "0", 10),
              costFen: parseInt(row.getAttribute("data-cost-fen") || "0", 10),
              quantity: /^\d+$/.test(qty) ? parseInt(qty, 10) : 0};
    });
  }

  function payerOf(form) {
    const picked = form.querySelector("[name=shipping_paid_by]:checked");
    const side = form.querySelector("[data-payer]");
    return picked ? picked.value : (side ? side.getAttribute("data-payer") : "us");
  }

  // Show a figure's row only when it says something: no "−¥0.00" for a zero discount.
  function showRow(form, key, text) {
    form.querySelectorAll('[data-row="' + key + '"]').forEach((el) => { el.hidden = text === null; });
    const out = form.querySelector('[data-out="' + key + '"]');
    if (out && text !== null) { out.textContent = text; }
  }

  function recalc(form) {
    const discount = parseFen((form.querySelector("[name=discount]") || {}).value) || 0;
    const shipping = parseFen((form.querySelector("[name=shipping_fee]") || {}).value) || 0;
    const payer = payerOf(form);
    const totals = computeTotals(readLines(form), discount, shipping, payer);
    Object.keys(totals).forEach((key) => {
      const out = form.querySelector('[data-out="' + key + '"]');
      if (out) { out.textContent = formatFen(totals[key]); out.classList.toggle("negative", totals[key] < 0); }
    });
    showRow(form, "discount", discount > 0 ? formatFen(-discount) : null);
    const shipOut = form.querySelector('[data-out="shipping"]');
    const free = shipOut ? shipOut.getAttribute("data-free") : "";
    showRow(form, "shipping", shipping <= 0 ? null : payer === "customer" ? "+" + formatFen(shipping) : free);
    const empty = form.querySelector("[data-empty-lines]");
    if (empty) { empty.hidden = form.querySelectorAll("[data-line]").length > 0; }
  }

  function nextIndex(form) {
    let max = -1;
    form.querySelectorAll("[data-line] input[name$='-sku']").forEach((input) => {
      const n = parseInt(input.name.split("-")[1], 10);
      if (n > max) { max = n; }
    });
    return max + 1;
  }

  function addLine(form, hit) {
    const sku = hit.getAttribute("data-add-sku");
    const existing = form.querySelector('[data-line][data-sku="' + sku + '"] .qty');
    if (existing) { existing.value = (parseInt(existing.value, 10) || 0) + 1; return; }
    const holder = doc.createElement("tbody");
    holder.innerHTML = form.querySelector("#line-template").innerHTML.replace(/__i__/g, String(nextIndex(form)));
    const row = holder.querySelector("tr");
    row.setAttribute("data-sku", sku);
    ["price-fen", "cost-fen"].forEach((k) => {
      if (hit.hasAttribute("data-" + k)) { row.setAttribute("data-" + k, hit.getAttribute("data-" + k)); }
    });
    row.querySelector(".line-title").textContent = hit.getAttribute("data-name");
    row.querySelector("small").textContent = sku;
    row.querySelector("input[type=hidden]").value = sku;
    row.querySelector(".line-price").textContent = hit.getAttribute("data-price") || "";
    form.querySelector("[data-lines]").appendChild(row);
  }

  function onClick(evt) {
    const form = evt.target.closest("[data-order-form]");
    if (!form) { return; }
    const hit = evt.target.closest("[data-add-sku]");
    const step = evt.target.closest("[data-qty]");
    const remove = evt.target.closest("[data-remove]");
    if (hit) {
      addLine(form, hit);
    } else if (step) {
      const qty = step.parentNode.querySelector(".qty");
      qty.value = Math.max(1, (parseInt(qty.value, 10) || 0) + parseInt(step.getAttribute("data-qty"), 10));
    } else if (remove) {
      remove.closest("[data-line]").remove();
    } else {
      return;
    }
    recalc(form);
  }

  doc.addEventListener("click", onClick);  // sku-picker.js turns Enter / arrow keys in the search into clicks
  doc.addEventListener("change", (evt) => {
    const form = evt.target.closest && evt.target.closest("[data-order-form]");
    if (form && evt.target.name === "shipping_paid_by") { recalc(form); }
  });
  doc.addEventListener("input", (evt) => {
    const form = evt.target.closest && evt.target.closest("[data-order-form]");
    if (form) { recalc(form); }
  });
  doc.addEventListener("DOMContentLoaded", () => doc.querySelectorAll("[data-order-form]").forEach(recalc));
})(self);
