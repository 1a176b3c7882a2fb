// Show only the fields that a block's kind uses. The server ignores the
// others anyway; this only keeps the editor's page short.
(function () {
  "use strict";
  var FIELDS_BY_KIND = {
    paragraph: ["text"],
    list: ["ordered", "items"],
    table: ["caption", "source_note", "source_url", "source_retrieved", "row_headers", "grid"],
  };
  var ALL_FIELDS = [].concat(FIELDS_BY_KIND.paragraph, FIELDS_BY_KIND.list, FIELDS_BY_KIND.table);
  var KIND_SELECT = /-blocks-\d+-kind$/;

  function showFieldsFor(select) {
    var form = select.closest(".inline-related");
    if (!form) return;
    var wanted = FIELDS_BY_KIND[select.value] || ALL_FIELDS;
    ALL_FIELDS.forEach(function (field) {
      form.querySelectorAll(".field-" + field).forEach(function (row) {
        row.classList.toggle("hidden-for-kind", wanted.indexOf(field) === -1);
      });
    });
  }

  function isKindSelect(element) {
    return element.tagName === "SELECT" && KIND_SELECT.test(element.name);
  }

  function scan(root) {
    root.querySelectorAll("select").forEach(function (select) {
      if (isKindSelect(select)) showFieldsFor(select);
    });
  }

  document.addEventListener("change", function (event) {
    if (isKindSelect(event.target)) showFieldsFor(event.target);
  });
  window.Newsroom.onContent(scan);
})();
