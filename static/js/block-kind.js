// Show only the fields that a block's kind uses. The server ignores the
// others anyway; this only keeps the editor's page short. Which fields each
// kind uses comes from the server, on the kind menu (data-fields-by-kind,
// articles/admin/forms.py).
(function () {
  "use strict";
  var KIND_SELECT = /-blocks-\d+-kind$/;

  function showFieldsFor(select) {
    var form = select.closest(".inline-related");
    if (!form) return;
    var fieldsByKind = JSON.parse(select.dataset.fieldsByKind || "{}");
    var allFields = [].concat.apply([], Object.values(fieldsByKind));
    var wanted = fieldsByKind[select.value] || allFields;
    allFields.forEach(function (field) {
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
