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

// Words shown to people come from the server, translated, in each widget's
// "strings" (articles/admin/forms.py). format() fills in their %(name)s
// placeholders. (The table grid's modules have their own: js/grid/words.js.)
window.Newsroom.format = function (template, values) {
  "use strict";
  return String(template).replace(/%\((\w+)\)s|%%/g, function (whole, name) {
    if (!name) return "%";
    return values && name in values ? String(values[name]) : whole;
  });
};
