// Shared by the admin's small enhancements: run a setup function on the page
// once it has loaded, and again on every part added later (nested admin's
// "Add another" buttons insert new sections and blocks).
window.Newsroom = window.Newsroom || {};
window.Newsroom.onContent = function (setup) {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    setup(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) setup(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
};
