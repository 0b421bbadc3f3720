// Order money in integer fen, exactly as the server computes it (webapp.orders.services.compute_totals);
// also loaded by node in tests/orders/test_money.py.
(function (root) {
  "use strict";

  // Parse typed money ("1,234.5", "¥12") into integer fen; null when not a valid amount (max two decimals).
  function parseFen(text) {
    const raw = String(text == null ? "" : text).trim().replace(/[,¥\s]/g, "");
    if (raw === "") { return 0; }
    const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(raw);
    if (!m) { return null; }
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10);
  }

  // lines: [{priceFen, costFen, quantity}]; returns {goods, due, cost, profit} in fen. The fee is always our
  // cost; payer "customer" also adds it to the amount due, "us" (the default, as the server's) does not.
  function computeTotals(lines, discountFen, shippingFen, payer) {
    let goods = 0, cost = 0;
    lines.forEach((ln) => {
      goods += ln.priceFen * ln.quantity;
      cost += (ln.costFen || 0) * ln.quantity;
    });
    const charged = payer === "customer" ? shippingFen : 0;
    const due = goods - discountFen + charged, costTotal = cost + shippingFen;
    return {goods: goods, due: due, cost: costTotal, profit: due - costTotal};
  }

  function formatFen(fen) {
    const sign = fen < 0 ? "−" : "", abs = Math.abs(fen);
    const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "¥" + yuan + "." + String(abs % 100).padStart(2, "0");
  }

  const money = {parseFen: parseFen, computeTotals: computeTotals, formatFen: formatFen};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = money;
  } else {
    (root.OrderHub = root.OrderHub || {}).money = money;
  }
})(typeof self === "undefined" ? null : self);
