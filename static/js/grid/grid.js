// The table grid: a spreadsheet-like table of inputs for a table's columns
// and rows, with a toolbar, column settings, pasting from a spreadsheet,
// CSV/XLSX import and the server's problems marked on their cells. It knows
// nothing of forms: mountGrid draws it into an element and reports each
// change of the table through onChange (the document editor's table view:
// static/js/editor/table-view.js).
//
//   const grid = mountGrid(element, {
//     table,          // {columns: [{label, kind, unit, decimals, align}], rows: [[cell, ...]],
//                     //  groups: [{label, start, span}] (optional)}
//     schema,         // articles/admin/grid.py script_schema(): kinds, aligns, columnFields...
//     strings,        // script_strings(): every word shown, translated
//     problems,       // the server's [{level, message, row, column}] (1-based; 0: none)
//     importUrl,      // where a CSV/XLSX file is posted to be read; none: no import
//     csrfToken,      // sent with that post
//     maxImportBytes, // larger files are refused before sending
//     onChange,       // onChange(newTable), once per change
//     labelledBy,     // the id of the element naming the table
//   });
//   grid.update(table, problems); grid.focus(); grid.destroy();
//
// The tables onChange reports hold columns and rows only (a block's caption
// and source are edited elsewhere; its groups are each column's "group", which
// table-ops.js groupRuns turns back into groups), each column's settings as text, as typed
// (decimals "" or "2": the server reads and checks them), and are never
// changed afterwards; nor are the tables the grid is given.
//
// The table is held as a value of table-ops.js, replaced by a new one on
// each change, with an id per row and per column alongside, so that the
// server's problems follow their cells when rows and columns move. Typing
// updates the value without redrawing anything; row changes touch only the
// rows concerned; column changes, pastes and imports redraw the table.

import * as ops from "./table-ops.js";
import { blockWidth, isBlock, oneLine, parseSheetText } from "./tsv.js";
import { format, plural } from "./words.js";

const PREVIEW_ROWS = 5;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The toolbar's buttons, acting on the current cell: [action, the key of
// its label in the server's strings]; its title's key ends in _HELP.
const ROW_TOOLS = [
  ["row-above", "INSERT_ROW_ABOVE"],
  ["row-below", "INSERT_ROW_BELOW"],
  ["row-up", "MOVE_ROW_UP"],
  ["row-down", "MOVE_ROW_DOWN"],
  ["row-delete", "DELETE_ROW"],
];
const COLUMN_TOOLS = [
  ["column-left", "INSERT_COLUMN_LEFT"],
  ["column-right", "INSERT_COLUMN_RIGHT"],
  ["column-back", "MOVE_COLUMN_LEFT"],
  ["column-forward", "MOVE_COLUMN_RIGHT"],
  ["column-delete", "DELETE_COLUMN"],
];
const IMPORT_TOOL = ["import", "IMPORT_FILE"];
const ADD_TOOLS = [
  ["row-add", "ADD_ROW"],
  ["column-add", "ADD_COLUMN"],
];
const ENHANCED = ["nr-grid", "nr-grid-enhanced"];

let lastId = 0;
let grids = 0;

function newId() {
  lastId += 1;
  return lastId;
}

function el(tag, attributes, content) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of content || []) {
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function isCell(node) {
  return Boolean(node && node.classList && node.classList.contains("nr-grid-cell"));
}

function isSetting(node) {
  return Boolean(node && node.classList && node.classList.contains("nr-grid-setting"));
}

function wholeTextSelected(input) {
  return input.selectionStart === 0 && input.selectionEnd === input.value.length;
}

export function mountGrid(host, options) {
  const schema = options.schema;
  const strings = options.strings;
  const onChange = options.onChange || function () {};
  const importUrl = options.importUrl || "";
  const csrfToken = options.csrfToken || "";
  const maxImportBytes = options.maxImportBytes || Infinity;
  grids += 1;
  const baseId = host.id || "nr-grid-" + grids;

  // The words, translated by the server: a text, or a plural's two forms.
  function say(key, values) {
    return format(strings[key], values);
  }

  function sayCount(key, count, values) {
    return plural(strings[key], count, values);
  }

  let table = ops.normalizeTable(options.table, schema);
  // The value the caller knows the grid holds: the one it gave (mount,
  // update) or the one last reported to it (onChange).
  let held = options.table;
  let rowIds = table.rows.map(() => newId());
  let columnIds = table.columns.map(() => newId());
  let problems = [];
  let marks = { cells: {}, columns: {}, rows: {} };
  let targets = []; // per problem: the ids of the row and column it is about
  let current = { r: 0, c: 0 };
  let entryValue = "";
  let pendingImport = null;
  let upload = null; // the import being read, to abort on destroy
  let destroyed = false;

  function changed() {
    held = table;
    onChange(table);
  }

  function cellKey(r, c) {
    return rowIds[r] + ":" + columnIds[c];
  }

  // The server's problems, as marks on the cells, columns and rows they are
  // about (as the table is now) and as a list.
  function setProblems(list) {
    problems = list || [];
    marks = { cells: {}, columns: {}, rows: {} };
    targets = problems.map((problem) => {
      const r = problem.row ? problem.row - 1 : -1;
      const c = problem.column ? problem.column - 1 : -1;
      const row = r >= 0 && r < rowIds.length ? rowIds[r] : null;
      const column = c >= 0 && c < columnIds.length ? columnIds[c] : null;
      return { row, column, value: row && column ? table.rows[r][c] : null };
    });
    targets.forEach((target, index) => {
      let mark = null;
      if (target.row && target.column) {
        const key = target.row + ":" + target.column;
        mark = marks.cells[key] = marks.cells[key] || { problems: [], value: target.value };
      } else if (target.column) {
        mark = marks.columns[target.column] = marks.columns[target.column] || { problems: [] };
      } else if (target.row) {
        mark = marks.rows[target.row] = marks.rows[target.row] || { problems: [] };
      }
      if (mark) mark.problems.push(index);
    });
    drawProblems();
  }

  function problemId(index) {
    return baseId + "-problem-" + index;
  }

  // Errors stop the article from being saved; warnings only need a look.
  function markClass(mark) {
    const error = mark.problems.some((index) => problems[index].level === "error");
    return error ? "nr-invalid" : "nr-warned";
  }

  function problemText(indexes) {
    return indexes.map((index) => problems[index].message).join(" ");
  }

  function columnName(c) {
    const label = table.columns[c].label.trim();
    return label || say("UNNAMED_COLUMN", { number: c + 1 });
  }

  function cellLabel(r, c) {
    return say("CELL", { row: r + 1, column: columnName(c) });
  }

  // --- what is drawn round the table

  const status = el("p", { className: "nr-grid-status", "aria-live": "polite" });
  function announce(message) {
    status.textContent = message;
  }

  const buttons = {};
  const actions = {
    "row-above": () => insertRow(current.r),
    "row-below": () => insertRow(current.r + 1),
    "row-up": () => moveRow(-1),
    "row-down": () => moveRow(1),
    "row-delete": () => deleteRow(),
    "row-add": () => insertRow(table.rows.length),
    "column-left": () => insertColumn(current.c),
    "column-right": () => insertColumn(current.c + 1),
    "column-back": () => moveColumn(-1),
    "column-forward": () => moveColumn(1),
    "column-delete": () => deleteColumn(),
    "column-add": () => insertColumn(table.columns.length),
    import: () => fileInput.click(),
  };

  function button(spec) {
    const node = el("button", {
      type: "button",
      className: "nr-grid-button",
      title: say(spec[1] + "_HELP"),
      text: say(spec[1]),
    });
    node.dataset.action = spec[0];
    node.addEventListener("click", () => actions[spec[0]]());
    buttons[spec[0]] = node;
    return node;
  }

  function tools(label, specs, extra) {
    const group = el("div", { className: "nr-grid-tools" }, specs.map(button).concat(extra || []));
    if (label) {
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", label);
    }
    return group;
  }

  const labelsBox = el("input", { type: "checkbox", id: baseId + "-paste-labels" });
  const fileInput = el("input", {
    type: "file",
    className: "nr-grid-file",
    accept: ".csv,.xlsx,text/csv," + XLSX_TYPE,
    hidden: "",
    "aria-label": say("FILE_TO_IMPORT"),
  });
  const toolbar = el("div", { className: "nr-grid-toolbar" }, [
    tools(say("ROWS"), ROW_TOOLS),
    tools(say("COLUMNS"), COLUMN_TOOLS),
    tools("", [IMPORT_TOOL], [
      el("label", { className: "nr-grid-check", for: labelsBox.id }, [
        labelsBox,
        " " + say("FIRST_ROW_AS_LABELS"),
      ]),
      fileInput,
    ]),
  ]);

  const importError = el("p", { className: "nr-grid-import-error", role: "alert" });
  importError.hidden = true;
  const preview = el("div", { className: "nr-grid-preview", role: "region", "aria-label": say("PREVIEW") });
  preview.hidden = true;
  const problemList = el("ul", { className: "nr-grid-problems" });

  function drawProblems() {
    const items = problems.map((problem, index) => {
      const item = el("li", { id: problemId(index), className: "nr-" + problem.level }, [
        el("strong", { text: say(problem.level === "error" ? "ERROR" : "WARNING") + " " }),
      ]);
      if (problem.row || problem.column) {
        const link = el("button", {
          type: "button",
          className: "nr-grid-goto",
          title: say(problem.row ? "GO_TO_CELL" : "GO_TO_COLUMN"),
          text: problem.message,
        });
        link.addEventListener("click", () => goTo(targets[index]));
        item.appendChild(link);
      } else {
        item.appendChild(document.createTextNode(problem.message));
      }
      return item;
    });
    problemList.replaceChildren(...items);
    problemList.hidden = !problems.length;
  }

  function goTo(target) {
    const r = target.row ? rowIds.indexOf(target.row) : 0;
    const c = target.column ? columnIds.indexOf(target.column) : 0;
    if (r < 0 || c < 0) {
      announce(say(r < 0 ? "ROW_GONE" : "COLUMN_GONE"));
    } else if (target.column && !target.row) {
      headerInput(c, "label").focus();
    } else {
      focusCell(r, c);
    }
  }

  const scroller = el("div", { className: "nr-grid-scroll" });
  const sheet = el("table", { className: "nr-grid-sheet" });
  if (options.labelledBy) sheet.setAttribute("aria-labelledby", options.labelledBy);
  let thead = el("thead");
  let tbody = el("tbody");
  sheet.append(thead, tbody);
  scroller.appendChild(sheet);
  const adders = tools("", ADD_TOOLS);
  adders.classList.add("nr-grid-adders");

  const parts = [toolbar, status, importError, preview, problemList, scroller, adders];
  const addedClasses = ENHANCED.filter((name) => !host.classList.contains(name));
  host.append(...parts);
  host.classList.add(...addedClasses);

  // --- drawing

  function select(choices, value, attributes) {
    const node = el("select", attributes);
    let known = false;
    for (const [optionValue, optionText] of choices || []) {
      const item = el("option", { value: optionValue, text: optionText });
      if (optionValue === value) item.selected = known = true;
      node.appendChild(item);
    }
    if (!known) {
      // Shown as it is (the server refuses it) rather than silently changed.
      node.appendChild(el("option", { value, text: value || say("NO_VALUE"), selected: "" }));
    }
    return node;
  }

  function setting(c, key, title, control) {
    control.dataset.key = key;
    control.dataset.c = c;
    control.classList.add("nr-grid-setting");
    return el("label", { className: "nr-grid-field nr-grid-field-" + key }, [
      el("span", { text: title }),
      control,
    ]);
  }

  function textControl(value, attributes) {
    const input = el("input", { type: "text", autocomplete: "off", ...attributes });
    input.value = value;
    return input;
  }

  function headerCell(c) {
    const column = table.columns[c];
    const number = { number: c + 1 };
    const label = textControl(column.label, {
      maxlength: "120",
      "aria-label": say("COLUMN_LABEL_LABEL", number),
    });
    const th = el("th", { scope: "col", className: "nr-grid-head" }, [
      el("span", { className: "nr-grid-number", text: say("COLUMN_NUMBER", number) }),
      setting(c, "label", say("LABEL"), label),
      setting(c, "kind", say("KIND"), select(schema.kinds, column.kind, {
        "aria-label": say("COLUMN_KIND_LABEL", number),
      })),
      setting(c, "align", say("ALIGN"), select(schema.aligns, column.align, {
        "aria-label": say("COLUMN_ALIGN_LABEL", number),
      })),
      setting(c, "unit", say("UNIT"), textControl(column.unit, {
        maxlength: "20",
        "aria-label": say("COLUMN_UNIT_LABEL", number),
      })),
      setting(c, "decimals", say("DECIMALS"), textControl(column.decimals, {
        inputmode: "numeric",
        "aria-label": say("COLUMN_DECIMALS_LABEL", number),
      })),
      // Only when the schema has groups (the document editor's does).
      ...("group" in schema.blankColumn
        ? [setting(c, "group", say("GROUP"), textControl(column.group, {
            maxlength: "120",
            title: say("GROUP_HELP"),
            "aria-label": say("COLUMN_GROUP_LABEL", number),
          }))]
        : []),
    ]);
    const mark = marks.columns[columnIds[c]];
    if (mark) {
      const messageId = baseId + "-column-" + columnIds[c] + "-message";
      th.classList.add(markClass(mark));
      const text = problemText(mark.problems);
      th.appendChild(el("p", { className: "nr-grid-message", id: messageId, text }));
      if (markClass(mark) === "nr-invalid") label.setAttribute("aria-invalid", "true");
      label.setAttribute("aria-describedby", messageId);
    }
    return th;
  }

  // A cell keeps its mark while it holds what the server refused.
  function showMark(input, r, c) {
    const mark = marks.cells[cellKey(r, c)];
    const td = input.parentNode;
    if (mark && table.rows[r][c] === mark.value) {
      td.classList.add(markClass(mark));
      if (markClass(mark) === "nr-invalid") input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", mark.problems.map(problemId).join(" "));
      input.title = problemText(mark.problems);
    } else if (input.hasAttribute("aria-describedby")) {
      td.classList.remove("nr-invalid", "nr-warned");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      input.removeAttribute("title");
    }
  }

  function rowElement(r, aligns) {
    const tr = document.createElement("tr");
    const th = el("th", { scope: "row", className: "nr-grid-rownum", text: String(r + 1) });
    const rowMark = marks.rows[rowIds[r]];
    if (rowMark) {
      th.classList.add(markClass(rowMark));
      th.title = problemText(rowMark.problems);
    }
    tr.appendChild(th);
    table.rows[r].forEach((value, c) => {
      const td = document.createElement("td");
      const input = document.createElement("input");
      input.type = "text";
      input.className = "nr-grid-cell nr-align-" + aligns[c];
      input.autocomplete = "off";
      input.value = value;
      input.dataset.r = r;
      input.dataset.c = c;
      input.setAttribute("aria-label", cellLabel(r, c));
      td.appendChild(input);
      tr.appendChild(td);
      if (marks.cells[cellKey(r, c)]) showMark(input, r, c);
    });
    return tr;
  }

  function aligns() {
    return table.columns.map((column) => ops.effectiveAlign(column, schema));
  }

  // Rows from..to (inclusive) after rows were inserted, deleted or swapped.
  function renumberRows(from, to) {
    for (let r = from; r <= to && r < table.rows.length; r++) {
      const tr = tbody.rows[r];
      tr.cells[0].textContent = String(r + 1);
      for (let c = 0; c < table.columns.length; c++) {
        const input = tr.cells[c + 1].firstChild;
        input.dataset.r = r;
        input.setAttribute("aria-label", cellLabel(r, c));
      }
    }
  }

  // Redraw the whole table: after column changes, pastes and imports. Row
  // changes touch only the rows concerned, which keeps long tables quick.
  function render() {
    const headRow = el("tr", {}, [el("td", { className: "nr-grid-corner" })]);
    table.columns.forEach((column, c) => headRow.appendChild(headerCell(c)));
    const body = document.createDocumentFragment();
    const columnAligns = aligns();
    table.rows.forEach((row, r) => body.appendChild(rowElement(r, columnAligns)));
    // New sections replace the old ones whole: one mutation for the page's
    // observers rather than one per row.
    const newHead = el("thead", {}, [headRow]);
    const newBody = el("tbody");
    newBody.appendChild(body);
    sheet.replaceChild(newHead, thead);
    sheet.replaceChild(newBody, tbody);
    thead = newHead;
    tbody = newBody;
    current.r = Math.min(current.r, table.rows.length - 1);
    current.c = Math.min(current.c, table.columns.length - 1);
    showCurrent();
  }

  function cellInput(r, c) {
    const tr = tbody.rows[r];
    return tr && tr.cells[c + 1] ? tr.cells[c + 1].firstChild : null;
  }

  function headerInput(c, key) {
    return thead.querySelector(".nr-grid-setting[data-c='" + c + "'][data-key='" + key + "']");
  }

  let shown = [];
  function showCurrent() {
    for (const node of shown) node.classList.remove("nr-current");
    const input = cellInput(current.r, current.c);
    const head = thead.rows[0] && thead.rows[0].cells[current.c + 1];
    const rowHead = tbody.rows[current.r] && tbody.rows[current.r].cells[0];
    shown = [input && input.parentNode, head, rowHead].filter(Boolean);
    for (const node of shown) node.classList.add("nr-current");
    buttons["row-up"].disabled = current.r === 0;
    buttons["row-down"].disabled = current.r >= table.rows.length - 1;
    buttons["row-delete"].disabled = table.rows.length <= 1;
    buttons["column-back"].disabled = current.c === 0;
    buttons["column-forward"].disabled = current.c >= table.columns.length - 1;
    buttons["column-delete"].disabled = table.columns.length <= 1;
  }

  function focusCell(r, c) {
    const input = cellInput(r, c);
    if (input) input.focus();
    return input;
  }

  // After a move, focus stays on the button so that it can be pressed
  // again, unless the row or column reached the edge and it was disabled.
  function refocus() {
    const active = document.activeElement;
    if (active && toolbar.contains(active) && !active.disabled) {
      const input = cellInput(current.r, current.c);
      if (input) input.scrollIntoView({ block: "nearest", inline: "nearest" });
      return;
    }
    focusCell(current.r, current.c);
  }

  // --- changing the structure

  function insertRow(at) {
    table = ops.insertRow(table, at);
    rowIds = ops.insertAt(rowIds, at, newId());
    tbody.insertBefore(rowElement(at, aligns()), tbody.rows[at] || null);
    renumberRows(at + 1, table.rows.length - 1);
    current.r = at;
    showCurrent();
    focusCell(current.r, current.c);
    announce(say("ROW_INSERTED", { number: at + 1 }));
    changed();
  }

  function deleteRow() {
    const r = current.r;
    if (table.rows.length <= 1) return;
    const question = say("DELETE_ROW_QUESTION", { number: r + 1 });
    if (ops.rowHasContent(table, r) && !window.confirm(question)) return;
    table = ops.deleteRow(table, r);
    rowIds = ops.removeAt(rowIds, r);
    tbody.removeChild(tbody.rows[r]);
    renumberRows(r, table.rows.length - 1);
    current.r = Math.min(r, table.rows.length - 1);
    showCurrent();
    focusCell(current.r, current.c);
    announce(say("ROW_DELETED", { number: r + 1 }));
    changed();
  }

  function moveRow(step) {
    const r = current.r;
    const to = r + step;
    if (to < 0 || to >= table.rows.length) return;
    table = ops.moveRow(table, r, to);
    rowIds = ops.moveAt(rowIds, r, to);
    // The neighbour moves round the current row, whose cells keep focus.
    const here = tbody.rows[r];
    tbody.insertBefore(tbody.rows[to], step < 0 ? here.nextSibling : here);
    renumberRows(Math.min(r, to), Math.max(r, to));
    current.r = to;
    showCurrent();
    refocus();
    announce(say("ROW_MOVED", { from: r + 1, to: to + 1 }));
    changed();
  }

  function insertColumn(at) {
    table = ops.insertColumn(table, at, schema);
    columnIds = ops.insertAt(columnIds, at, newId());
    current.c = at;
    render();
    const label = headerInput(at, "label");
    if (label) label.focus();
    announce(say("COLUMN_INSERTED", { number: at + 1 }));
    changed();
  }

  function deleteColumn() {
    const c = current.c;
    if (table.columns.length <= 1) return;
    const name = table.columns[c].label.trim();
    const question = name
      ? say("DELETE_NAMED_COLUMN_QUESTION", { number: c + 1, name })
      : say("DELETE_COLUMN_QUESTION", { number: c + 1 });
    if (ops.columnHasContent(table, c) && !window.confirm(question)) return;
    table = ops.deleteColumn(table, c);
    columnIds = ops.removeAt(columnIds, c);
    render();
    focusCell(current.r, Math.min(c, table.columns.length - 1));
    announce(say("COLUMN_DELETED", { number: c + 1 }));
    changed();
  }

  function moveColumn(step) {
    const c = current.c;
    const to = c + step;
    if (to < 0 || to >= table.columns.length) return;
    table = ops.moveColumn(table, c, to);
    columnIds = ops.moveAt(columnIds, c, to);
    current.c = to;
    render();
    refocus();
    announce(say("COLUMN_MOVED", { from: c + 1, to: to + 1 }));
    changed();
  }

  // New ids for the rows and columns a paste added at the end.
  function idsForNewLines() {
    while (rowIds.length < table.rows.length) rowIds.push(newId());
    while (columnIds.length < table.columns.length) columnIds.push(newId());
  }

  // --- typing in cells

  function setCell(input, value) {
    const r = Number(input.dataset.r);
    const c = Number(input.dataset.c);
    if (input.value !== value) input.value = value;
    if (table.rows[r][c] === value) return;
    table = ops.setCell(table, r, c, value);
    if (marks.cells[cellKey(r, c)]) showMark(input, r, c);
    changed();
  }

  sheet.addEventListener("mousedown", (event) => {
    // The first click on a cell selects it whole, as in a spreadsheet; the
    // next click places the caret.
    if (isCell(event.target) && document.activeElement !== event.target && event.button === 0) {
      event.preventDefault();
      event.target.focus();
    }
  });

  sheet.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!isCell(input)) return;
    // Cells scrolled into view stay clear of the sticky header and row
    // numbers (measured here: a block of another kind has the grid hidden).
    scroller.style.scrollPaddingTop = thead.offsetHeight + "px";
    scroller.style.scrollPaddingLeft = (tbody.rows[0] ? tbody.rows[0].cells[0].offsetWidth : 0) + "px";
    current.r = Number(input.dataset.r);
    current.c = Number(input.dataset.c);
    entryValue = input.value;
    input.select();
    showCurrent();
  });

  sheet.addEventListener("input", (event) => {
    if (isCell(event.target)) setCell(event.target, event.target.value);
  });

  function nextCell(r, c, backwards) {
    const last = table.columns.length - 1;
    if (backwards) {
      if (c > 0) return [r, c - 1];
      return r > 0 ? [r - 1, last] : null;
    }
    if (c < last) return [r, c + 1];
    return r < table.rows.length - 1 ? [r + 1, 0] : null;
  }

  sheet.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!isCell(input) || event.isComposing) return;
    const r = Number(input.dataset.r);
    const c = Number(input.dataset.c);
    const modified = event.altKey || event.ctrlKey || event.metaKey;
    const end = input.value.length;
    let target = null;
    switch (event.key) {
      case "ArrowUp":
      case "ArrowDown":
        if (modified || event.shiftKey) return;
        if (event.key === "ArrowDown") {
          if (r < table.rows.length - 1) target = [r + 1, c];
        } else if (r > 0) {
          target = [r - 1, c];
        } else {
          event.preventDefault();
          headerInput(c, "label").focus();
          return;
        }
        break;
      case "ArrowLeft":
        if (modified || event.shiftKey) return;
        if (wholeTextSelected(input) || (input.selectionStart === 0 && input.selectionEnd === 0)) {
          if (c > 0) target = [r, c - 1];
          else event.preventDefault();
        }
        break;
      case "ArrowRight":
        if (modified || event.shiftKey) return;
        if (wholeTextSelected(input) || (input.selectionStart === end && input.selectionEnd === end)) {
          if (c < table.columns.length - 1) target = [r, c + 1];
          else event.preventDefault();
        }
        break;
      case "Tab":
        if (modified) return;
        target = nextCell(r, c, event.shiftKey);
        if (!target) return; // leave the grid
        break;
      case "Enter":
        // Enter never submits the article from a cell.
        event.preventDefault();
        if (modified) return;
        if (event.shiftKey) {
          if (r > 0) target = [r - 1, c];
        } else if (r < table.rows.length - 1) {
          target = [r + 1, c];
        } else if (ops.rowHasContent(table, r)) {
          insertRow(r + 1);
          return;
        }
        break;
      case "Escape":
        event.preventDefault();
        setCell(input, entryValue);
        input.select();
        return;
      case "Delete":
      case "Backspace":
        if (!modified && input.value !== "" && wholeTextSelected(input)) {
          event.preventDefault();
          setCell(input, "");
        }
        return;
      default:
        return;
    }
    if (target) {
      event.preventDefault();
      focusCell(target[0], target[1]);
    }
  });

  // --- column settings

  sheet.addEventListener("focusin", (event) => {
    const control = event.target;
    if (!isSetting(control)) return;
    current.c = Number(control.dataset.c);
    showCurrent();
  });

  // On "input" and on "change": a menu fires both, once changed.
  function updateSetting(event) {
    const control = event.target;
    if (!isSetting(control)) return;
    const key = control.dataset.key;
    const c = Number(control.dataset.c);
    if (table.columns[c][key] === control.value) return;
    table = ops.setColumnSetting(table, c, key, control.value);
    if (key === "label") {
      for (let r = 0; r < table.rows.length; r++) {
        cellInput(r, c).setAttribute("aria-label", cellLabel(r, c));
      }
    } else if (key === "kind" || key === "align") {
      const align = ops.effectiveAlign(table.columns[c], schema);
      for (let r = 0; r < table.rows.length; r++) {
        cellInput(r, c).className = "nr-grid-cell nr-align-" + align;
      }
    }
    changed();
  }
  sheet.addEventListener("input", updateSetting);
  sheet.addEventListener("change", updateSetting);

  sheet.addEventListener("keydown", (event) => {
    const control = event.target;
    if (!isSetting(control) || control.tagName !== "INPUT" || event.isComposing) return;
    const c = Number(control.dataset.c);
    const key = control.dataset.key;
    if (event.key === "Enter") {
      // Enter in a column setting goes to the column's first cell, never submits.
      event.preventDefault();
      focusCell(0, c);
    } else if (key === "label" && event.key === "ArrowDown" && !event.shiftKey) {
      event.preventDefault();
      focusCell(0, c);
    } else if (key === "label" && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      const end = control.value.length;
      const step = event.key === "ArrowLeft" ? -1 : 1;
      const atEdge = step < 0 ? control.selectionEnd === 0 : control.selectionStart === end;
      const neighbour = headerInput(c + step, "label");
      if ((wholeTextSelected(control) || atEdge) && neighbour) {
        event.preventDefault();
        neighbour.focus();
        neighbour.select();
      }
    }
  });

  // --- pasting a block of cells

  function paste(event, r, c, asLabels) {
    if (!event.clipboardData) return;
    const raw = event.clipboardData.getData("text/plain");
    const rows = parseSheetText(raw);
    if (!rows.length) return;
    event.preventDefault();
    if (!isBlock(rows)) {
      // One value is typed where the caret is, in one line; text from
      // elsewhere than a spreadsheet keeps its quotes. insertText keeps the
      // browser's undo and fires "input", which updates the table.
      const input = event.target;
      const value = /[\t\r\n]/.test(raw) ? oneLine(rows[0][0]) : raw;
      if (!document.execCommand("insertText", false, value)) {
        input.setRangeText(value, input.selectionStart, input.selectionEnd, "end");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return;
    }
    const pasted = asLabels ? rows.length - 1 : rows.length;
    const width = blockWidth(rows);
    table = ops.pasteBlock(table, r, c, rows, { schema, labels: asLabels });
    idsForNewLines();
    current.r = r;
    current.c = c;
    render();
    focusCell(r, c);
    const counts = {
      rows: sayCount("ROW_COUNT", pasted),
      columns: sayCount("COLUMN_COUNT", width),
    };
    announce(
      pasted ? say(asLabels ? "PASTED_WITH_LABELS" : "PASTED", counts) : sayCount("PASTED_LABELS", width)
    );
    changed();
  }

  sheet.addEventListener("paste", (event) => {
    if (!isCell(event.target)) return;
    paste(event, Number(event.target.dataset.r), Number(event.target.dataset.c), labelsBox.checked);
  });

  // Pasting rows into a column label: the first row gives the labels.
  sheet.addEventListener("paste", (event) => {
    const control = event.target;
    if (!isSetting(control) || control.dataset.key !== "label") return;
    paste(event, 0, Number(control.dataset.c), true);
  });

  // --- importing a CSV or XLSX file

  function showImportError(message) {
    importError.textContent = message;
    importError.hidden = false;
  }

  function closePreview() {
    pendingImport = null;
    preview.hidden = true;
    preview.replaceChildren();
  }

  function showPreview(result, fileName) {
    pendingImport = result;
    const columns = result.columns || [];
    const rows = result.rows || [];
    const summary = el("p", {
      className: "nr-grid-preview-summary",
      tabindex: "-1",
      text: (result.message || say("FILE_READ", { file: fileName })) + " " + say("REPLACING_KEEPS_NOTHING"),
    });
    const head = el("tr", {}, columns.map((column) => el("th", { scope: "col", text: column.label })));
    const body = el("tbody", {}, rows.slice(0, PREVIEW_ROWS).map((cells) => {
      return el("tr", {}, cells.map((cell) => el("td", { text: cell })));
    }));
    const caption = el("caption", {
      text: rows.length > PREVIEW_ROWS
        ? sayCount("PREVIEW_FIRST_ROWS", rows.length, { shown: PREVIEW_ROWS })
        : sayCount("PREVIEW_ALL_ROWS", rows.length),
    });
    const sample = el("div", { className: "nr-grid-preview-table" }, [
      el("table", {}, [caption, el("thead", {}, [head]), body]),
    ]);
    const replace = el("button", {
      type: "button",
      className: "nr-grid-button nr-grid-replace",
      text: say("REPLACE_TABLE"),
    });
    const cancel = el("button", { type: "button", className: "nr-grid-button", text: say("CANCEL") });
    replace.addEventListener("click", () => replaceTable(pendingImport, fileName));
    cancel.addEventListener("click", () => {
      closePreview();
      announce(say("IMPORT_CANCELLED"));
      buttons.import.focus();
    });
    const choices = el("div", { className: "nr-grid-tools" }, [replace, cancel]);
    preview.replaceChildren(summary, sample, choices);
    preview.hidden = false;
    summary.focus();
  }

  function replaceTable(result, fileName) {
    if (!result) return;
    table = ops.tableFromImport(result, schema);
    rowIds = table.rows.map(() => newId());
    columnIds = table.columns.map(() => newId());
    // The server's problems were about the table that is gone.
    marks = { cells: {}, columns: {}, rows: {} };
    problemList.hidden = true;
    current = { r: 0, c: 0 };
    closePreview();
    render();
    focusCell(0, 0);
    announce(
      say("TABLE_REPLACED", {
        rows: sayCount("ROW_COUNT", table.rows.length),
        columns: sayCount("COLUMN_COUNT", table.columns.length),
        file: fileName,
      })
    );
    changed();
  }

  // The server's answer: {ok, result}, result holding the table or an error.
  function readAnswer(response) {
    return response.json().then(
      (result) => ({ ok: response.ok, result }),
      () => ({ ok: false, result: { error: say("SERVER_DID_NOT_READ", { status: response.status }) } })
    );
  }

  fileInput.addEventListener("change", () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    importError.hidden = true;
    closePreview();
    if (!importUrl) {
      showImportError(say("IMPORT_UNAVAILABLE"));
      return;
    }
    if (file.size > maxImportBytes) {
      showImportError(say("FILE_TOO_LARGE"));
      fileInput.value = "";
      return;
    }
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken);
    body.append("file", file);
    buttons.import.disabled = true;
    announce(say("READING", { file: file.name }));
    upload = new AbortController();
    fetch(importUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      signal: upload.signal,
    })
      .then(readAnswer)
      .then((answer) => {
        if (destroyed) return;
        announce("");
        if (!answer.ok || answer.result.error) {
          showImportError(answer.result.error || say("FILE_NOT_READ"));
        } else {
          showPreview(answer.result, file.name);
        }
      })
      .catch(() => {
        if (!destroyed) showImportError(say("FILE_NOT_SENT"));
      })
      .then(() => {
        upload = null;
        buttons.import.disabled = false;
        fileInput.value = "";
      });
  });

  setProblems(options.problems);
  render();

  return {
    // Draw the given table and problems (none when left out) without calling
    // onChange: the editor's undo and redo restore a table with it. Given
    // the value it holds (the very one last reported through onChange or
    // given) and no problems, it has nothing to do. A cell that had the focus
    // keeps it, where it still is.
    update(value, newProblems) {
      if (destroyed || (value === held && newProblems === undefined)) return;
      const hadFocus = sheet.contains(document.activeElement);
      held = value;
      table = ops.normalizeTable(value, schema);
      rowIds = table.rows.map(() => newId());
      columnIds = table.columns.map(() => newId());
      setProblems(newProblems);
      render();
      if (hadFocus) focusCell(current.r, current.c);
    },

    // Focus the current cell (the first, until another was chosen).
    focus() {
      if (!destroyed) focusCell(current.r, current.c);
    },

    // Take out everything the grid drew and stop its file import, if any.
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (upload) upload.abort();
      for (const part of parts) part.remove();
      host.classList.remove(...addedClasses);
    },
  };
}
