// Copy the tracking link next to a [data-copy-button] to the clipboard (select it where the API is missing).
(function () {
  if (document.documentElement.dataset.copyLink) return;  // loaded again by an htmx swap
  document.documentElement.dataset.copyLink = "1";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-button]");
    if (!button) return;
    const input = button.parentElement.querySelector("[data-copy-source]");
    const done = function () { button.textContent = button.dataset.copied; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
