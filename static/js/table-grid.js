// The table grid of the article editor: a spreadsheet-like table of inputs
// that replaces the per-cell form of templates/admin/articles/table_grid.html.
// It keeps "<name>-json" filled with {columns, rows}; the server reads only
// that field when it is filled, and checks the whole table again.
//
// The table is held in `grid` (columns and rows, each with a stable id so that
// the server's problems follow their cells when rows and columns move). Typing
// updates `grid` and the JSON field without redrawing anything; row changes
// touch only the rows concerned; column changes, pastes and imports redraw the
// table.
//
// Every word it shows comes from the server, translated, with the rest of its
// data (articles/admin/grid.py, script_strings): say(KEY, values) fills one in.
(function () {
  "use strict";

  var PREVIEW_ROWS = 5;
  var XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  // The toolbar's buttons, acting on the current cell: [action, the key of
  // its label in the server's strings]; its title's key ends in _HELP.
  var ROW_TOOLS = [
    ["row-above", "INSERT_ROW_ABOVE"],
    ["row-below", "INSERT_ROW_BELOW"],
    ["row-up", "MOVE_ROW_UP"],
    ["row-down", "MOVE_ROW_DOWN"],
    ["row-delete", "DELETE_ROW"],
  ];
  var COLUMN_TOOLS = [
    ["column-left", "INSERT_COLUMN_LEFT"],
    ["column-right", "INSERT_COLUMN_RIGHT"],
    ["column-back", "MOVE_COLUMN_LEFT"],
    ["column-forward", "MOVE_COLUMN_RIGHT"],
    ["column-delete", "DELETE_COLUMN"],
  ];
  var IMPORT_TOOL = ["import", "IMPORT_FILE"];
  var ADD_TOOLS = [
    ["row-add", "ADD_ROW"],
    ["column-add", "ADD_COLUMN"],
  ];
  var nextId = 1;

  function newId() {
    nextId += 1;
    return nextId;
  }

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function blankRow(width) {
    var cells = [];
    for (var j = 0; j < width; j++) cells.push("");
    return { id: newId(), cells: cells };
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "className") node.className = attributes[name];
      else if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (content || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // --- Text copied from a spreadsheet (Excel, LibreOffice, Google Sheets)

  function endOfCell(source, from) {
    for (var i = from; i < source.length; i++) {
      var ch = source.charAt(i);
      if (ch === "\t" || ch === "\n" || ch === "\r") return i;
    }
    return source.length;
  }

  // Tab-separated cells, one row per line (\r\n or \n). A cell starting with a
  // quote is quoted when its closing quote ends the cell: it may then hold
  // tabs, line breaks and doubled "" quotes. Otherwise the quote is text.
  // The line break after the last row does not start another row.
  function parseSheetText(source) {
    var rows = [];
    var row = [];
    var i = 0;
    var n = source.length;
    if (!n) return rows;
    for (;;) {
      var cell = null;
      if (source.charAt(i) === '"') {
        var j = i + 1;
        var value = "";
        var closed = false;
        while (j < n) {
          var ch = source.charAt(j);
          if (ch === '"') {
            if (source.charAt(j + 1) === '"') {
              value += '"';
              j += 2;
              continue;
            }
            closed = true;
            j += 1;
            break;
          }
          value += ch;
          j += 1;
        }
        if (closed && (j >= n || "\t\r\n".indexOf(source.charAt(j)) !== -1)) {
          cell = value;
          i = j;
        }
      }
      if (cell === null) {
        var end = endOfCell(source, i);
        cell = source.slice(i, end);
        i = end;
      }
      row.push(cell);
      if (i >= n) {
        rows.push(row);
        break;
      }
      if (source.charAt(i) === "\t") {
        i += 1;
        continue;
      }
      i += source.charAt(i) === "\r" && source.charAt(i + 1) === "\n" ? 2 : 1;
      rows.push(row);
      row = [];
      if (i >= n) break;
    }
    return rows;
  }

  // A cell holds one line: the server refuses line breaks inside a cell.
  function oneLine(value) {
    return value.replace(/\s*[\t\r\n]+\s*/g, " ");
  }

  function csrfToken(container) {
    var form = container.closest("form");
    var input = (form || document).querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function enhance(container) {
    if (container.dataset.gridReady) return;
    // nested_admin renames inputs when it clones an empty form, but not the
    // attributes of this div: the hidden input carries the real name.
    var jsonInput = container.querySelector(":scope > input[type='hidden'][name$='-json']");
    var source = container.querySelector(":scope > script[type='application/json']");
    if (!jsonInput || !source) return;
    var name = jsonInput.name.slice(0, -"-json".length);
    if (name.indexOf("__prefix__") !== -1) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return; // the no-JavaScript form stays in place
    }
    container.dataset.gridReady = "1";
    container.dataset.name = name;
    container.id = "id_" + name;
    var baseId = container.id;

    // The words, translated by the server: a text, or a plural's two forms.
    function say(key, values) {
      return window.Newsroom.format(data.strings[key], values);
    }

    function sayCount(key, count, values) {
      return window.Newsroom.plural(data.strings[key], count, values);
    }

    // What columns are, from the server's snapshot schema (articles/snapshot.py
    // through articles/admin/grid.py): their settings, a new column's values,
    // the kinds and alignments offered, and the alignment "auto" gives each kind.
    var columnFields = data.columnFields;

    function blankColumn(settings) {
      var column = Object.assign({ id: newId() }, data.blankColumn);
      columnFields.forEach(function (key) {
        if (settings && settings[key] !== undefined && settings[key] !== null) {
          column[key] = text(settings[key]);
        }
      });
      return column;
    }

    var grid = { columns: [], rows: [] };
    var marks = { cells: {}, columns: {}, rows: {} };
    var problems = data.problems || [];
    var targets = []; // per problem: the row and column it is about, as they move
    var current = { r: 0, c: 0 };
    var entryValue = "";
    var pendingImport = null;

    // --- the table as the server sent it

    (function load() {
      var width = (data.columns || []).length;
      (data.rows || []).forEach(function (cells) {
        width = Math.max(width, cells.length);
      });
      grid.columns = (data.columns || []).map(blankColumn);
      while (grid.columns.length < Math.max(width, 1)) grid.columns.push(blankColumn());
      grid.rows = (data.rows || []).map(function (cells) {
        var row = blankRow(grid.columns.length);
        cells.forEach(function (cell, j) {
          row.cells[j] = text(cell);
        });
        return row;
      });
      if (!grid.rows.length) grid.rows.push(blankRow(grid.columns.length));

      problems.forEach(function (problem, index) {
        var row = problem.row ? grid.rows[problem.row - 1] : null;
        var column = problem.column ? grid.columns[problem.column - 1] : null;
        var mark;
        targets[index] = { row: row, column: column };
        if (row && column) {
          var key = row.id + ":" + column.id;
          mark = marks.cells[key] = marks.cells[key] || {
            problems: [],
            value: row.cells[problem.column - 1],
          };
        } else if (column) {
          mark = marks.columns[column.id] = marks.columns[column.id] || { problems: [] };
        } else if (row) {
          mark = marks.rows[row.id] = marks.rows[row.id] || { problems: [] };
        }
        if (mark) mark.problems.push(index);
      });
    })();

    function problemId(index) {
      return baseId + "-problem-" + index;
    }

    // Errors stop the article from being saved; warnings only need a look.
    function markClass(mark) {
      var error = mark.problems.some(function (index) {
        return problems[index].level === "error";
      });
      return error ? "nr-invalid" : "nr-warned";
    }

    function problemText(indexes) {
      return indexes
        .map(function (index) {
          return problems[index].message;
        })
        .join(" ");
    }

    function save() {
      jsonInput.value = JSON.stringify({
        columns: grid.columns.map(function (column) {
          var settings = {};
          columnFields.forEach(function (key) {
            settings[key] = column[key];
          });
          return settings;
        }),
        rows: grid.rows.map(function (row) {
          return row.cells.slice();
        }),
      });
    }

    function columnName(c) {
      var label = grid.columns[c].label.trim();
      return label || say("UNNAMED_COLUMN", { number: c + 1 });
    }

    function cellLabel(r, c) {
      return say("CELL", { row: r + 1, column: columnName(c) });
    }

    function rowHasContent(row) {
      return row.cells.some(function (cell) {
        return cell.trim() !== "";
      });
    }

    function columnHasContent(c) {
      return (
        grid.columns[c].label.trim() !== "" ||
        grid.rows.some(function (row) {
          return row.cells[c].trim() !== "";
        })
      );
    }

    // --- the page around the table

    var fallback = container.querySelector(":scope > .nr-grid-fallback");
    if (fallback) fallback.remove();
    var serverList = container.querySelector(":scope > .nr-grid-problems");
    if (serverList) serverList.remove();

    var status = element("p", { className: "nr-grid-status", "aria-live": "polite" });
    function announce(message) {
      status.textContent = message;
    }

    var buttons = {};
    var actions = {
      "row-above": function () { insertRow(current.r); },
      "row-below": function () { insertRow(current.r + 1); },
      "row-up": function () { moveRow(-1); },
      "row-down": function () { moveRow(1); },
      "row-delete": deleteRow,
      "row-add": function () { insertRow(grid.rows.length); },
      "column-left": function () { insertColumn(current.c); },
      "column-right": function () { insertColumn(current.c + 1); },
      "column-back": function () { moveColumn(-1); },
      "column-forward": function () { moveColumn(1); },
      "column-delete": deleteColumn,
      "column-add": function () { insertColumn(grid.columns.length); },
      import: function () { fileInput.click(); },
    };

    function button(spec) {
      var node = element("button", {
        type: "button",
        className: "nr-grid-button",
        title: say(spec[1] + "_HELP"),
        text: say(spec[1]),
      });
      node.dataset.action = spec[0];
      node.addEventListener("click", function () {
        actions[spec[0]]();
      });
      buttons[spec[0]] = node;
      return node;
    }

    function tools(label, specs, extra) {
      var group = element("div", { className: "nr-grid-tools" }, specs.map(button).concat(extra || []));
      if (label) {
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", label);
      }
      return group;
    }

    var labelsBox = element("input", { type: "checkbox", id: baseId + "-paste-labels" });
    var fileInput = element("input", {
      type: "file",
      className: "nr-grid-file",
      accept: ".csv,.xlsx,text/csv," + XLSX_TYPE,
      hidden: "",
      "aria-label": say("FILE_TO_IMPORT"),
    });
    var toolbar = element("div", { className: "nr-grid-toolbar" }, [
      tools(say("ROWS"), ROW_TOOLS),
      tools(say("COLUMNS"), COLUMN_TOOLS),
      tools("", [IMPORT_TOOL], [
        element("label", { className: "nr-grid-check", for: labelsBox.id }, [
          labelsBox,
          " " + say("FIRST_ROW_AS_LABELS"),
        ]),
        fileInput,
      ]),
    ]);

    var importError = element("p", { className: "nr-grid-import-error", role: "alert" });
    importError.hidden = true;
    var preview = element("div", {
      className: "nr-grid-preview",
      role: "region",
      "aria-label": say("PREVIEW"),
    });
    preview.hidden = true;

    var problemList = element("ul", { className: "nr-grid-problems" });
    problems.forEach(function (problem, index) {
      var item = element("li", { id: problemId(index), className: "nr-" + problem.level });
      item.appendChild(element("strong", { text: say(problem.level === "error" ? "ERROR" : "WARNING") + " " }));
      if (problem.row || problem.column) {
        var link = element("button", {
          type: "button",
          className: "nr-grid-goto",
          title: say(problem.row ? "GO_TO_CELL" : "GO_TO_COLUMN"),
          text: problem.message,
        });
        link.addEventListener("click", function () {
          var target = targets[index];
          var r = target.row ? grid.rows.indexOf(target.row) : 0;
          var c = target.column ? grid.columns.indexOf(target.column) : 0;
          if (r < 0 || c < 0) {
            announce(say(r < 0 ? "ROW_GONE" : "COLUMN_GONE"));
          } else if (target.column && !target.row) {
            headerInput(c, "label").focus();
          } else {
            focusCell(r, c);
          }
        });
        item.appendChild(link);
      } else {
        item.appendChild(document.createTextNode(problem.message));
      }
      problemList.appendChild(item);
    });
    problemList.hidden = !problems.length;

    var scroller = element("div", { className: "nr-grid-scroll" });
    var table = element("table", { className: "nr-grid-sheet" });
    var thead = element("thead");
    var tbody = element("tbody");
    table.appendChild(thead);
    table.appendChild(tbody);
    scroller.appendChild(table);
    var adders = tools("", ADD_TOOLS);
    adders.classList.add("nr-grid-adders");

    var anchor = source.nextSibling;
    [toolbar, status, importError, preview, problemList, scroller, adders].forEach(function (node) {
      container.insertBefore(node, anchor);
    });
    container.classList.add("nr-grid-enhanced");

    // --- drawing

    // As snapshot.effective_align: an unknown kind aligns as a new column's.
    function alignment(column) {
      if (column.align && column.align !== data.autoAlign) return column.align;
      return data.defaultAlign[column.kind] || data.defaultAlign[data.blankColumn.kind];
    }

    function select(options, value, attributes) {
      var node = element("select", attributes);
      var known = false;
      (options || []).forEach(function (option) {
        var item = element("option", { value: option[0], text: option[1] });
        if (option[0] === value) item.selected = known = true;
        node.appendChild(item);
      });
      if (!known) {
        // Shown as it is (the server refuses it) rather than silently changed.
        node.appendChild(element("option", { value: value, text: value || say("NO_VALUE"), selected: "" }));
      }
      return node;
    }

    function setting(c, key, title, control) {
      control.dataset.key = key;
      control.dataset.c = c;
      control.classList.add("nr-grid-setting");
      return element("label", { className: "nr-grid-field nr-grid-field-" + key }, [
        element("span", { text: title }),
        control,
      ]);
    }

    function textControl(value, attributes) {
      var input = element("input", Object.assign({ type: "text", autocomplete: "off" }, attributes));
      input.value = value;
      return input;
    }

    function headerCell(column, c) {
      var number = { number: c + 1 };
      var label = textControl(column.label, {
        maxlength: "120",
        "aria-label": say("COLUMN_LABEL_LABEL", number),
      });
      var th = element("th", { scope: "col", className: "nr-grid-head" }, [
        element("span", { className: "nr-grid-number", text: say("COLUMN_NUMBER", number) }),
        setting(c, "label", say("LABEL"), label),
        setting(c, "kind", say("KIND"), select(data.kinds, column.kind, {
          "aria-label": say("COLUMN_KIND_LABEL", number),
        })),
        setting(c, "align", say("ALIGN"), select(data.aligns, column.align, {
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
      ]);
      var mark = marks.columns[column.id];
      if (mark) {
        var messageId = baseId + "-column-" + column.id + "-message";
        th.classList.add(markClass(mark));
        th.appendChild(
          element("p", { className: "nr-grid-message", id: messageId, text: problemText(mark.problems) })
        );
        if (markClass(mark) === "nr-invalid") label.setAttribute("aria-invalid", "true");
        label.setAttribute("aria-describedby", messageId);
      }
      return th;
    }

    // A cell keeps its mark while it holds what the server refused.
    function showMark(input, row, column) {
      var mark = marks.cells[row.id + ":" + column.id];
      var td = input.parentNode;
      if (mark && row.cells[Number(input.dataset.c)] === mark.value) {
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

    function rowElement(row, r, aligns) {
      var tr = document.createElement("tr");
      var th = element("th", { scope: "row", className: "nr-grid-rownum", text: String(r + 1) });
      var rowMark = marks.rows[row.id];
      if (rowMark) {
        th.classList.add(markClass(rowMark));
        th.title = problemText(rowMark.problems);
      }
      tr.appendChild(th);
      grid.columns.forEach(function (column, c) {
        var td = document.createElement("td");
        var input = document.createElement("input");
        input.type = "text";
        input.className = "nr-grid-cell nr-align-" + aligns[c];
        input.autocomplete = "off";
        input.value = row.cells[c];
        input.dataset.r = r;
        input.dataset.c = c;
        input.setAttribute("aria-label", cellLabel(r, c));
        td.appendChild(input);
        tr.appendChild(td);
        if (marks.cells[row.id + ":" + column.id]) showMark(input, row, column);
      });
      return tr;
    }

    // Rows from..to (inclusive) after rows were inserted, deleted or swapped.
    function renumberRows(from, to) {
      for (var r = from; r <= to && r < grid.rows.length; r++) {
        var tr = tbody.rows[r];
        tr.cells[0].textContent = String(r + 1);
        for (var c = 0; c < grid.columns.length; c++) {
          var input = tr.cells[c + 1].firstChild;
          input.dataset.r = r;
          input.setAttribute("aria-label", cellLabel(r, c));
        }
      }
    }

    // Redraw the whole table: after column changes, pastes and imports. Row
    // changes touch only the rows concerned, which keeps long tables quick.
    function render() {
      var headRow = element("tr", {}, [element("td", { className: "nr-grid-corner" })]);
      grid.columns.forEach(function (column, c) {
        headRow.appendChild(headerCell(column, c));
      });
      var body = document.createDocumentFragment();
      var aligns = grid.columns.map(alignment);
      grid.rows.forEach(function (row, r) {
        body.appendChild(rowElement(row, r, aligns));
      });
      // New sections replace the old ones whole: one mutation for the page's
      // observers rather than one per row.
      var newHead = element("thead", {}, [headRow]);
      var newBody = element("tbody");
      newBody.appendChild(body);
      table.replaceChild(newHead, thead);
      table.replaceChild(newBody, tbody);
      thead = newHead;
      tbody = newBody;
      current.r = Math.min(current.r, grid.rows.length - 1);
      current.c = Math.min(current.c, grid.columns.length - 1);
      showCurrent();
      save();
    }

    function cellInput(r, c) {
      var tr = tbody.rows[r];
      return tr ? tr.cells[c + 1] && tr.cells[c + 1].firstChild : null;
    }

    function headerInput(c, key) {
      return thead.querySelector(".nr-grid-setting[data-c='" + c + "'][data-key='" + key + "']");
    }

    var shown = null;
    function showCurrent() {
      if (shown) {
        shown.forEach(function (node) {
          node.classList.remove("nr-current");
        });
      }
      var input = cellInput(current.r, current.c);
      var head = thead.rows[0] && thead.rows[0].cells[current.c + 1];
      var rowHead = tbody.rows[current.r] && tbody.rows[current.r].cells[0];
      shown = [input && input.parentNode, head, rowHead].filter(Boolean);
      shown.forEach(function (node) {
        node.classList.add("nr-current");
      });
      buttons["row-up"].disabled = current.r === 0;
      buttons["row-down"].disabled = current.r >= grid.rows.length - 1;
      buttons["row-delete"].disabled = grid.rows.length <= 1;
      buttons["column-back"].disabled = current.c === 0;
      buttons["column-forward"].disabled = current.c >= grid.columns.length - 1;
      buttons["column-delete"].disabled = grid.columns.length <= 1;
    }

    function focusCell(r, c) {
      var input = cellInput(r, c);
      if (input) input.focus();
      return input;
    }

    // After a move, focus stays on the button so that it can be pressed
    // again, unless the row or column reached the edge and it was disabled.
    function refocus() {
      var active = document.activeElement;
      if (active && toolbar.contains(active) && !active.disabled) {
        var input = cellInput(current.r, current.c);
        if (input) input.scrollIntoView({ block: "nearest", inline: "nearest" });
        return;
      }
      focusCell(current.r, current.c);
    }

    // --- changing the structure

    function rowsChanged() {
      showCurrent();
      save();
    }

    function insertRow(at) {
      var row = blankRow(grid.columns.length);
      grid.rows.splice(at, 0, row);
      tbody.insertBefore(rowElement(row, at, grid.columns.map(alignment)), tbody.rows[at] || null);
      renumberRows(at + 1, grid.rows.length - 1);
      current.r = at;
      rowsChanged();
      focusCell(current.r, current.c);
      announce(say("ROW_INSERTED", { number: at + 1 }));
    }

    function deleteRow() {
      var r = current.r;
      if (grid.rows.length <= 1) return;
      var question = say("DELETE_ROW_QUESTION", { number: r + 1 });
      if (rowHasContent(grid.rows[r]) && !window.confirm(question)) return;
      grid.rows.splice(r, 1);
      tbody.removeChild(tbody.rows[r]);
      renumberRows(r, grid.rows.length - 1);
      current.r = Math.min(r, grid.rows.length - 1);
      rowsChanged();
      focusCell(current.r, current.c);
      announce(say("ROW_DELETED", { number: r + 1 }));
    }

    function moveRow(step) {
      var r = current.r;
      var to = r + step;
      if (to < 0 || to >= grid.rows.length) return;
      var moved = grid.rows.splice(r, 1)[0];
      grid.rows.splice(to, 0, moved);
      // The neighbour moves round the current row, whose cells keep focus.
      var here = tbody.rows[r];
      tbody.insertBefore(tbody.rows[to], step < 0 ? here.nextSibling : here);
      renumberRows(Math.min(r, to), Math.max(r, to));
      current.r = to;
      rowsChanged();
      refocus();
      announce(say("ROW_MOVED", { from: r + 1, to: to + 1 }));
    }

    function insertColumn(at) {
      grid.columns.splice(at, 0, blankColumn());
      grid.rows.forEach(function (row) {
        row.cells.splice(at, 0, "");
      });
      current.c = at;
      render();
      var label = headerInput(at, "label");
      if (label) label.focus();
      announce(say("COLUMN_INSERTED", { number: at + 1 }));
    }

    function deleteColumn() {
      var c = current.c;
      if (grid.columns.length <= 1) return;
      var name = grid.columns[c].label.trim();
      var question = name
        ? say("DELETE_NAMED_COLUMN_QUESTION", { number: c + 1, name: name })
        : say("DELETE_COLUMN_QUESTION", { number: c + 1 });
      if (columnHasContent(c) && !window.confirm(question)) return;
      grid.columns.splice(c, 1);
      grid.rows.forEach(function (row) {
        row.cells.splice(c, 1);
      });
      render();
      focusCell(current.r, Math.min(c, grid.columns.length - 1));
      announce(say("COLUMN_DELETED", { number: c + 1 }));
    }

    function moveColumn(step) {
      var c = current.c;
      var to = c + step;
      if (to < 0 || to >= grid.columns.length) return;
      grid.columns.splice(to, 0, grid.columns.splice(c, 1)[0]);
      grid.rows.forEach(function (row) {
        row.cells.splice(to, 0, row.cells.splice(c, 1)[0]);
      });
      current.c = to;
      render();
      refocus();
      announce(say("COLUMN_MOVED", { from: c + 1, to: to + 1 }));
    }

    function ensureSize(rows, columns) {
      while (grid.columns.length < columns) {
        grid.columns.push(blankColumn());
        grid.rows.forEach(function (row) {
          row.cells.push("");
        });
      }
      while (grid.rows.length < rows) grid.rows.push(blankRow(grid.columns.length));
    }

    // --- typing in cells

    function setCell(input, value) {
      var r = Number(input.dataset.r);
      var c = Number(input.dataset.c);
      if (input.value !== value) input.value = value;
      grid.rows[r].cells[c] = value;
      if (marks.cells[grid.rows[r].id + ":" + grid.columns[c].id]) {
        showMark(input, grid.rows[r], grid.columns[c]);
      }
      save();
    }

    function isCell(node) {
      return node && node.classList && node.classList.contains("nr-grid-cell");
    }

    function wholeTextSelected(input) {
      return input.selectionStart === 0 && input.selectionEnd === input.value.length;
    }

    function isSetting(node) {
      return node && node.classList && node.classList.contains("nr-grid-setting");
    }

    table.addEventListener("mousedown", function (event) {
      // The first click on a cell selects it whole, as in a spreadsheet; the
      // next click places the caret.
      if (isCell(event.target) && document.activeElement !== event.target && event.button === 0) {
        event.preventDefault();
        event.target.focus();
      }
    });

    table.addEventListener("focusin", function (event) {
      var input = event.target;
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

    table.addEventListener("input", function (event) {
      if (isCell(event.target)) setCell(event.target, event.target.value);
    });

    function nextCell(r, c, backwards) {
      var last = grid.columns.length - 1;
      if (backwards) {
        if (c > 0) return [r, c - 1];
        return r > 0 ? [r - 1, last] : null;
      }
      if (c < last) return [r, c + 1];
      return r < grid.rows.length - 1 ? [r + 1, 0] : null;
    }

    table.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!isCell(input) || event.isComposing) return;
      var r = Number(input.dataset.r);
      var c = Number(input.dataset.c);
      var modified = event.altKey || event.ctrlKey || event.metaKey;
      var target = null;
      switch (event.key) {
        case "ArrowUp":
        case "ArrowDown":
          if (modified || event.shiftKey) return;
          if (event.key === "ArrowDown") {
            if (r < grid.rows.length - 1) target = [r + 1, c];
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
          var end = input.value.length;
          if (wholeTextSelected(input) || (input.selectionStart === end && input.selectionEnd === end)) {
            if (c < grid.columns.length - 1) target = [r, c + 1];
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
          } else if (r < grid.rows.length - 1) {
            target = [r + 1, c];
          } else if (rowHasContent(grid.rows[r])) {
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

    table.addEventListener("focusin", function (event) {
      var control = event.target;
      if (!isSetting(control)) return;
      current.c = Number(control.dataset.c);
      showCurrent();
    });

    function updateSetting(event) {
      var control = event.target;
      if (!isSetting(control)) return;
      var key = control.dataset.key;
      var c = Number(control.dataset.c);
      grid.columns[c][key] = control.value;
      if (key === "label") {
        for (var r = 0; r < grid.rows.length; r++) {
          cellInput(r, c).setAttribute("aria-label", cellLabel(r, c));
        }
      } else if (key === "kind" || key === "align") {
        var align = alignment(grid.columns[c]);
        for (var i = 0; i < grid.rows.length; i++) {
          cellInput(i, c).className = "nr-grid-cell nr-align-" + align;
        }
      }
      save();
    }
    table.addEventListener("input", updateSetting);
    table.addEventListener("change", updateSetting);

    table.addEventListener("keydown", function (event) {
      var control = event.target;
      if (!isSetting(control) || control.tagName !== "INPUT" || event.isComposing) return;
      var c = Number(control.dataset.c);
      var key = control.dataset.key;
      if (event.key === "Enter") {
        // Enter in a column setting goes to the column's first cell, never submits.
        event.preventDefault();
        focusCell(0, c);
      } else if (key === "label" && event.key === "ArrowDown" && !event.shiftKey) {
        event.preventDefault();
        focusCell(0, c);
      } else if (key === "label" && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
        if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
        var end = control.value.length;
        var whole = wholeTextSelected(control);
        var step = event.key === "ArrowLeft" ? -1 : 1;
        var atEdge = step < 0 ? control.selectionEnd === 0 : control.selectionStart === end;
        var neighbour = headerInput(c + step, "label");
        if ((whole || atEdge) && neighbour) {
          event.preventDefault();
          neighbour.focus();
          neighbour.select();
        }
      }
    });

    // --- pasting a block of cells

    function paste(event, r, c, asLabels) {
      if (!event.clipboardData) return;
      var raw = event.clipboardData.getData("text/plain");
      var rows = parseSheetText(raw);
      if (!rows.length) return;
      var input = event.target;
      if (rows.length === 1 && rows[0].length === 1) {
        // One value is typed where the caret is, in one line; text from
        // elsewhere than a spreadsheet keeps its quotes. insertText keeps the
        // browser's undo and fires "input", which updates the table.
        event.preventDefault();
        var value = /[\t\r\n]/.test(raw) ? oneLine(rows[0][0]) : raw;
        if (!document.execCommand("insertText", false, value)) {
          input.setRangeText(value, input.selectionStart, input.selectionEnd, "end");
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
        return;
      }
      event.preventDefault();
      var labels = asLabels ? rows.shift() : null;
      var width = labels ? labels.length : 0;
      rows.forEach(function (cells) {
        width = Math.max(width, cells.length);
      });
      ensureSize(r + rows.length, c + width);
      if (labels) {
        labels.forEach(function (label, k) {
          grid.columns[c + k].label = oneLine(label).trim();
        });
      }
      rows.forEach(function (cells, i) {
        for (var k = 0; k < width; k++) grid.rows[r + i].cells[c + k] = oneLine(text(cells[k]));
      });
      current.r = r;
      current.c = c;
      render();
      focusCell(r, c);
      var counts = {
        rows: sayCount("ROW_COUNT", rows.length),
        columns: sayCount("COLUMN_COUNT", width),
      };
      announce(
        rows.length
          ? say(labels ? "PASTED_WITH_LABELS" : "PASTED", counts)
          : sayCount("PASTED_LABELS", width)
      );
    }

    table.addEventListener("paste", function (event) {
      if (!isCell(event.target)) return;
      paste(event, Number(event.target.dataset.r), Number(event.target.dataset.c), labelsBox.checked);
    });

    // Pasting rows into a column label: the first row gives the labels.
    table.addEventListener("paste", function (event) {
      var control = event.target;
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
      var columns = result.columns || [];
      var rows = result.rows || [];
      var summary = element("p", {
        className: "nr-grid-preview-summary",
        tabindex: "-1",
        text:
          (result.message || say("FILE_READ", { file: fileName })) + " " +
          say("REPLACING_KEEPS_NOTHING"),
      });
      var head = element("tr", {}, columns.map(function (column) {
        return element("th", { scope: "col", text: column.label });
      }));
      var body = element("tbody", {}, rows.slice(0, PREVIEW_ROWS).map(function (cells) {
        return element("tr", {}, cells.map(function (cell) {
          return element("td", { text: cell });
        }));
      }));
      var caption = element("caption", {
        text: rows.length > PREVIEW_ROWS
          ? sayCount("PREVIEW_FIRST_ROWS", rows.length, { shown: PREVIEW_ROWS })
          : sayCount("PREVIEW_ALL_ROWS", rows.length),
      });
      var sample = element("div", { className: "nr-grid-preview-table" }, [
        element("table", {}, [caption, element("thead", {}, [head]), body]),
      ]);
      var replace = element("button", {
        type: "button",
        className: "nr-grid-button nr-grid-replace",
        text: say("REPLACE_TABLE"),
      });
      var cancel = element("button", {
        type: "button",
        className: "nr-grid-button",
        text: say("CANCEL"),
      });
      replace.addEventListener("click", function () {
        replaceTable(pendingImport, fileName);
      });
      cancel.addEventListener("click", function () {
        closePreview();
        announce(say("IMPORT_CANCELLED"));
        buttons.import.focus();
      });
      var choices = element("div", { className: "nr-grid-tools" }, [replace, cancel]);
      preview.replaceChildren(summary, sample, choices);
      preview.hidden = false;
      summary.focus();
    }

    function replaceTable(result, fileName) {
      if (!result) return;
      grid.columns = (result.columns || []).map(function (column) {
        return blankColumn({ label: oneLine(text(column.label)) });
      });
      if (!grid.columns.length) grid.columns.push(blankColumn());
      grid.rows = (result.rows || []).map(function (cells) {
        var row = blankRow(grid.columns.length);
        cells.slice(0, grid.columns.length).forEach(function (cell, j) {
          row.cells[j] = oneLine(text(cell));
        });
        return row;
      });
      if (!grid.rows.length) grid.rows.push(blankRow(grid.columns.length));
      // The server's problems were about the table that is gone.
      marks = { cells: {}, columns: {}, rows: {} };
      problemList.hidden = true;
      current = { r: 0, c: 0 };
      closePreview();
      render();
      focusCell(0, 0);
      announce(
        say("TABLE_REPLACED", {
          rows: sayCount("ROW_COUNT", grid.rows.length),
          columns: sayCount("COLUMN_COUNT", grid.columns.length),
          file: fileName,
        })
      );
    }

    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      var url = container.dataset.importUrl;
      importError.hidden = true;
      closePreview();
      if (!url) {
        showImportError(say("IMPORT_UNAVAILABLE"));
        return;
      }
      if (file.size > data.maxImportBytes) {
        showImportError(say("FILE_TOO_LARGE"));
        fileInput.value = "";
        return;
      }
      var body = new FormData();
      var token = csrfToken(container);
      body.append("csrfmiddlewaretoken", token);
      body.append("file", file);
      buttons.import.disabled = true;
      announce(say("READING", { file: file.name }));
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(
            function (result) {
              return { ok: response.ok, result: result };
            },
            function () {
              return {
                ok: false,
                result: { error: say("SERVER_DID_NOT_READ", { status: response.status }) },
              };
            }
          );
        })
        .then(function (answer) {
          announce("");
          if (!answer.ok || answer.result.error) {
            showImportError(answer.result.error || say("FILE_NOT_READ"));
          } else {
            showPreview(answer.result, file.name);
          }
        })
        .catch(function () {
          showImportError(say("FILE_NOT_SENT"));
        })
        .then(function () {
          buttons.import.disabled = false;
          fileInput.value = "";
        });
    });

    render();
  }

  window.Newsroom.onContent(function (root) {
    if (root.matches && root.matches(".nr-grid")) enhance(root);
    root.querySelectorAll(".nr-grid").forEach(enhance);
  });
})();
