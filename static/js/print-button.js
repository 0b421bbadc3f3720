// The print button on the label and packing-slip pages: shown once scripts run, it opens the print dialog.
(function (root) {
  "use strict";
  root.document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => root.print());
  });
})(self);
