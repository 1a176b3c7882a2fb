// The review screen: clicking a cell of a table in the version under review
// chooses it as the place of a new comment (the form's "About" select). The
// server checks the place against the version; words come from the server.
(function () {
  "use strict";

  function textWithoutMarkers(cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".nr-comment-marker").forEach(function (marker) {
      marker.remove();
    });
    return copy.textContent.trim();
  }

  function start() {
    var select = document.getElementById("id_place");
    var strings = document.getElementById("thread-strings");
    var body = document.querySelector(".nr-review-body");
    if (!select || !strings || !body) {
      return;
    }
    var words = JSON.parse(strings.textContent);
    var chosen = null;

    body.addEventListener("click", function (event) {
      var cell = event.target.closest("tbody td, tbody th");
      if (!cell || event.target.closest("a")) {
        return;
      }
      var row = cell.closest("tr");
      var block = cell.closest("[data-place]");
      var figure = cell.closest("figure");
      var match = row && row.id ? /-row-(\d+)$/.exec(row.id) : null;
      if (!block || !figure || !match) {
        return;
      }
      var column = Array.prototype.indexOf.call(row.cells, cell);
      var place = block.dataset.place + "." + (Number(match[1]) - 1) + "." + column;
      var header = figure.querySelectorAll("thead th")[column];
      var label = header ? header.querySelector("a") || header : null;
      var columnName = label ? label.firstChild.textContent.trim() : String(column + 1);
      var rowName = textWithoutMarkers(row.cells[0]) || match[1];
      var text = words.cell
        .replace("%(table)s", figure.id.replace(/^table-/, ""))
        .replace("%(row)s", rowName)
        .replace("%(column)s", columnName);
      var option = select.querySelector('option[value="' + place + '"]');
      if (!option) {
        option = new Option(text, place);
        select.add(option);
      }
      select.value = place;
      if (chosen) {
        chosen.classList.remove("nr-place-chosen");
      }
      chosen = cell;
      cell.classList.add("nr-place-chosen");
      var textArea = document.getElementById("id_text");
      if (textArea) {
        textArea.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
