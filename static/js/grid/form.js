// The table grid on the admin's article page (TableGridWidget in
// articles/admin/grid.py, templates/admin/articles/table_grid.html): each
// table block's per-cell form becomes the grid of grid.js, which keeps
// "<name>-json" filled with {columns, rows}. The server reads only that field
// when it is filled, and checks the whole table again. Without JavaScript,
// or with data it cannot read, the per-cell form stays.
//
// Blocks added later (nested_admin's "Add another") are found by
// Newsroom.onContent (static/js/newsroom-admin.js, loaded first as a classic
// script), which watches the page for new parts.

import { mountGrid } from "./grid.js";
import { normalizeTable } from "./table-ops.js";

function csrfToken(container) {
  const form = container.closest("form");
  const input = (form || document).querySelector("input[name='csrfmiddlewaretoken']");
  return input ? input.value : "";
}

// The field's label, given an id if it has none, to name the grid's table.
function labelId(container) {
  const label = document.querySelector("label[for='" + container.id + "']");
  if (!label) return "";
  if (!label.id) label.id = container.id + "-label";
  return label.id;
}

function enhance(container) {
  if (container.dataset.gridReady) return;
  // nested_admin renames inputs when it clones an empty form, but not the
  // attributes of this div: the hidden input carries the real name.
  const jsonInput = container.querySelector(":scope > input[type='hidden'][name$='-json']");
  const source = container.querySelector(":scope > script[type='application/json']");
  if (!jsonInput || !source) return;
  const name = jsonInput.name.slice(0, -"-json".length);
  if (name.includes("__prefix__")) return;
  let data;
  try {
    data = JSON.parse(source.textContent);
  } catch (error) {
    return; // the no-JavaScript form stays in place
  }
  container.dataset.gridReady = "1";
  container.dataset.name = name;
  container.id = "id_" + name;

  // The page's own form and list of problems give way to the grid's.
  for (const part of container.querySelectorAll(":scope > .nr-grid-fallback, :scope > .nr-grid-problems")) {
    part.remove();
  }

  // The per-cell inputs are gone: the JSON field holds the table from now on.
  function save(table) {
    jsonInput.value = JSON.stringify({ columns: table.columns, rows: table.rows });
  }

  const schema = {
    kinds: data.kinds,
    aligns: data.aligns,
    columnFields: data.columnFields,
    blankColumn: data.blankColumn,
    autoAlign: data.autoAlign,
    defaultAlign: data.defaultAlign,
  };
  const table = normalizeTable(data, schema);
  save(table);
  mountGrid(container, {
    table,
    schema,
    strings: data.strings,
    problems: data.problems,
    importUrl: container.dataset.importUrl,
    csrfToken: csrfToken(container),
    maxImportBytes: data.maxImportBytes,
    onChange: save,
    labelledBy: labelId(container),
  });
}

window.Newsroom.onContent((root) => {
  if (root.matches && root.matches(".nr-grid")) enhance(root);
  root.querySelectorAll(".nr-grid").forEach(enhance);
});
