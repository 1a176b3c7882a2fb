// Pure operations on a table value, {columns, rows}: each returns a new value
// and leaves the one it was given as it was. No DOM: tested by
// tests/table-ops.test.mjs under `node --test`.
//
// A value as the grid holds it ("normalized") has one cell per column in
// every row, at least one column and one row, and each column's settings as
// text, as typed in its inputs (decimals "" or "2"): the server reads and
// checks them (articles/admin/grid.py). What a column has, and a new column's
// settings, come from the server's schema (`script_schema`): {columnFields,
// blankColumn, autoAlign, defaultAlign, kinds, aligns}.

import { blockWidth, oneLine } from "./tsv.js";

export function text(value) {
  return value === null || value === undefined ? "" : String(value);
}

// --- lists (also for the grid's ids, which move with their rows and columns)

export function insertAt(list, at, item) {
  return [...list.slice(0, at), item, ...list.slice(at)];
}

export function removeAt(list, at) {
  return [...list.slice(0, at), ...list.slice(at + 1)];
}

export function replaceAt(list, at, item) {
  const copy = list.slice();
  copy[at] = item;
  return copy;
}

export function moveAt(list, from, to) {
  const copy = list.slice();
  copy.splice(to, 0, copy.splice(from, 1)[0]);
  return copy;
}

// --- rows and columns

export function blankRow(width) {
  return new Array(width).fill("");
}

// A new column: the schema's settings, with the given ones (as text) over
// them. Only the schema's settings are kept.
export function blankColumn(schema, settings) {
  const column = {};
  for (const key of schema.columnFields) {
    const given = settings ? settings[key] : undefined;
    column[key] = given === undefined || given === null ? text(schema.blankColumn[key]) : text(given);
  }
  return column;
}

// The alignment a column's cells show, as snapshot.effective_align: "auto"
// follows the kind, and an unknown kind aligns as a new column's.
export function effectiveAlign(column, schema) {
  if (column.align && column.align !== schema.autoAlign) return column.align;
  return schema.defaultAlign[column.kind] || schema.defaultAlign[schema.blankColumn.kind];
}

// --- column groups: the snapshot's {label, start, span} runs, as the grid
// holds them: each column's "group" text. Neighbours with the same (trimmed,
// non-empty) group are one group, so an editor types "2024" over each column.

// Each of `count` columns' group label ("" for none), from a table's groups.
export function groupLabels(groups, count) {
  const labels = new Array(count).fill("");
  for (const group of groups || []) {
    for (let c = group.start; c < group.start + group.span && c < count; c++) {
      if (c >= 0) labels[c] = text(group.label);
    }
  }
  return labels;
}

// The snapshot's groups of each column's group label.
export function groupRuns(labels) {
  const runs = [];
  labels.forEach((label, c) => {
    const name = text(label).trim();
    if (!name) return;
    const last = runs[runs.length - 1];
    if (last && last.label === name && last.start + last.span === c) last.span += 1;
    else runs.push({ label: name, start: c, span: 1 });
  });
  return runs;
}

// A table as the grid holds it, from a snapshot table's columns and rows (or
// a posted one, or nothing): short rows are filled with empty cells, columns
// are added for the longest row, and an empty table gets one of each. The
// table's groups become its columns' "group".
export function normalizeTable(value, schema) {
  const groups = groupLabels(value && value.groups, ((value && value.columns) || []).length);
  const columns = ((value && value.columns) || []).map((column, c) =>
    column.group === undefined && groups[c] ? { ...column, group: groups[c] } : column,
  );
  const rows = (value && value.rows) || [];
  const width = rows.reduce((widest, cells) => Math.max(widest, cells.length), Math.max(columns.length, 1));
  const normalized = {
    columns: columns.map((column) => blankColumn(schema, column)),
    rows: rows.map((cells) => {
      const row = blankRow(width);
      cells.forEach((cell, c) => {
        row[c] = text(cell);
      });
      return row;
    }),
  };
  while (normalized.columns.length < width) normalized.columns.push(blankColumn(schema));
  if (!normalized.rows.length) normalized.rows.push(blankRow(width));
  return normalized;
}

export function setCell(table, r, c, value) {
  return { columns: table.columns, rows: replaceAt(table.rows, r, replaceAt(table.rows[r], c, value)) };
}

export function setColumnSetting(table, c, key, value) {
  return { columns: replaceAt(table.columns, c, { ...table.columns[c], [key]: value }), rows: table.rows };
}

export function insertRow(table, at) {
  return { columns: table.columns, rows: insertAt(table.rows, at, blankRow(table.columns.length)) };
}

// The last row stays: a table has one at least.
export function deleteRow(table, at) {
  if (table.rows.length <= 1) return table;
  return { columns: table.columns, rows: removeAt(table.rows, at) };
}

// Out of the table (the first row up, the last down), nothing moves.
export function moveRow(table, from, to) {
  if (to < 0 || to >= table.rows.length || from === to) return table;
  return { columns: table.columns, rows: moveAt(table.rows, from, to) };
}

export function insertColumn(table, at, schema) {
  return {
    columns: insertAt(table.columns, at, blankColumn(schema)),
    rows: table.rows.map((row) => insertAt(row, at, "")),
  };
}

// The last column stays: a table has one at least.
export function deleteColumn(table, at) {
  if (table.columns.length <= 1) return table;
  return {
    columns: removeAt(table.columns, at),
    rows: table.rows.map((row) => removeAt(row, at)),
  };
}

export function moveColumn(table, from, to) {
  if (to < 0 || to >= table.columns.length || from === to) return table;
  return {
    columns: moveAt(table.columns, from, to),
    rows: table.rows.map((row) => moveAt(row, from, to)),
  };
}

// The table with at least `rows` rows and `columns` columns: new ones are
// blank, at the end.
export function grown(table, rows, columns, schema) {
  const added = Math.max(0, columns - table.columns.length);
  const grownColumns = table.columns.slice();
  for (let k = 0; k < added; k++) grownColumns.push(blankColumn(schema));
  const grownRows = table.rows.map((row) => (added ? row.concat(blankRow(added)) : row));
  while (grownRows.length < rows) grownRows.push(blankRow(grownColumns.length));
  return { columns: grownColumns, rows: grownRows };
}

// A block of pasted cells (rows of texts, as tsv.parseSheetText reads them)
// written over the table from row r and column c, which grows to take it.
// The block is as wide as its widest row; shorter rows clear the cells they
// lack. With `labels`, its first row gives the columns' labels instead. Every
// cell is made one line.
export function pasteBlock(table, r, c, block, { schema, labels = false }) {
  const rows = labels ? block.slice(1) : block;
  const names = labels && block.length ? block[0] : [];
  const width = blockWidth(block);
  const next = grown(table, r + rows.length, c + width, schema);
  names.forEach((name, k) => {
    next.columns[c + k] = { ...next.columns[c + k], label: oneLine(text(name)).trim() };
  });
  rows.forEach((cells, i) => {
    const row = next.rows[r + i].slice();
    for (let k = 0; k < width; k++) row[c + k] = oneLine(text(cells[k]));
    next.rows[r + i] = row;
  });
  return next;
}

// The table read from a CSV or XLSX file by the server ({columns: [{label}],
// rows}): new columns with those labels, and nothing of the table it
// replaces. Cells past the last labelled column are left out.
// An imported file's table: its labels, and each column's kind, decimals
// and unit as the server proposes them from its cells (`proposed`).
export function tableFromImport(result, schema) {
  const proposed = result.proposed || [];
  const columns = (result.columns || []).map((column, c) =>
    blankColumn(schema, { ...(proposed[c] || {}), label: oneLine(text(column.label)) })
  );
  if (!columns.length) columns.push(blankColumn(schema));
  const rows = (result.rows || []).map((cells) => {
    const row = blankRow(columns.length);
    cells.slice(0, columns.length).forEach((cell, c) => {
      row[c] = oneLine(text(cell));
    });
    return row;
  });
  if (!rows.length) rows.push(blankRow(columns.length));
  return { columns, rows };
}

// --- what a change would lose

export function rowHasContent(table, r) {
  return table.rows[r].some((cell) => cell.trim() !== "");
}

export function columnHasContent(table, c) {
  return table.columns[c].label.trim() !== "" || table.rows.some((row) => row[c].trim() !== "");
}
