// Operations on a table value (../table-ops.js): each returns a new value
// and leaves the one it was given as it was.
// Run: node --test static/js/grid/tests/

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as ops from "../table-ops.js";

// As articles/admin/grid.py script_schema() gives it.
const SCHEMA = Object.freeze({
  kinds: [
    ["text", "Text"],
    ["number", "Number"],
  ],
  aligns: [
    ["auto", "Automatic"],
    ["left", "Left"],
    ["right", "Right"],
  ],
  columnFields: ["label", "kind", "unit", "decimals", "align"],
  blankColumn: { label: "", kind: "text", unit: "", decimals: "", align: "auto" },
  autoAlign: "auto",
  defaultAlign: { text: "left", number: "right" },
});

function column(label, settings) {
  return { ...SCHEMA.blankColumn, label, ...settings };
}

// A table of the given labels and rows, frozen all through: an operation
// that changed it in place would throw.
function frozen(labels, rows) {
  return Object.freeze({
    columns: Object.freeze(labels.map((label) => Object.freeze(column(label)))),
    rows: Object.freeze(rows.map((row) => Object.freeze(row.slice()))),
  });
}

function labels(table) {
  return table.columns.map((c) => c.label);
}

const SMALL = frozen(
  ["Name", "Score"],
  [
    ["a", "1"],
    ["b", "2"],
    ["c", "3"],
  ]
);

describe("lists", () => {
  test("insertAt, removeAt, replaceAt and moveAt return new lists", () => {
    const list = Object.freeze([1, 2, 3]);
    assert.deepEqual(ops.insertAt(list, 1, 9), [1, 9, 2, 3]);
    assert.deepEqual(ops.insertAt(list, 3, 9), [1, 2, 3, 9]);
    assert.deepEqual(ops.removeAt(list, 0), [2, 3]);
    assert.deepEqual(ops.replaceAt(list, 2, 9), [1, 2, 9]);
    assert.deepEqual(ops.moveAt(list, 0, 2), [2, 3, 1]);
    assert.deepEqual(ops.moveAt(list, 2, 1), [1, 3, 2]);
  });
});

describe("blankColumn", () => {
  test("is the schema's new column", () => {
    assert.deepEqual(ops.blankColumn(SCHEMA), SCHEMA.blankColumn);
    assert.notEqual(ops.blankColumn(SCHEMA), SCHEMA.blankColumn);
  });

  test("takes the settings given, as text, and only the schema's", () => {
    const made = ops.blankColumn(SCHEMA, { label: "Votes", kind: "number", decimals: 1, extra: "x" });
    assert.deepEqual(made, column("Votes", { kind: "number", decimals: "1" }));
  });

  test("takes a null setting as the schema's", () => {
    assert.equal(ops.blankColumn(SCHEMA, { decimals: null }).decimals, "");
  });
});

describe("effectiveAlign", () => {
  test("follows the kind when automatic", () => {
    assert.equal(ops.effectiveAlign(column("", { kind: "number" }), SCHEMA), "right");
    assert.equal(ops.effectiveAlign(column("", { kind: "text" }), SCHEMA), "left");
  });

  test("keeps a chosen alignment", () => {
    assert.equal(ops.effectiveAlign(column("", { kind: "number", align: "left" }), SCHEMA), "left");
  });

  test("aligns an unknown kind as a new column's", () => {
    assert.equal(ops.effectiveAlign(column("", { kind: "runes" }), SCHEMA), "left");
  });
});

describe("normalizeTable", () => {
  test("turns a snapshot table's columns into text settings", () => {
    const table = ops.normalizeTable(
      {
        columns: [{ label: "Share", kind: "number", unit: "%", decimals: 1, align: "auto" }],
        rows: [["40.5"]],
      },
      SCHEMA
    );
    assert.deepEqual(table.columns, [column("Share", { kind: "number", unit: "%", decimals: "1" })]);
  });

  test("fills short rows and adds columns for the longest", () => {
    const given = { columns: [{ label: "A" }], rows: [["1", "2", "3"], ["4"], []] };
    const table = ops.normalizeTable(given, SCHEMA);
    assert.deepEqual(labels(table), ["A", "", ""]);
    assert.deepEqual(table.rows, [
      ["1", "2", "3"],
      ["4", "", ""],
      ["", "", ""],
    ]);
  });

  test("makes cells text", () => {
    assert.deepEqual(ops.normalizeTable({ columns: [], rows: [[1, null]] }, SCHEMA).rows, [["1", ""]]);
  });

  test("gives an empty table one column and one row", () => {
    for (const value of [undefined, null, {}, { columns: [], rows: [] }]) {
      const table = ops.normalizeTable(value, SCHEMA);
      assert.deepEqual(table, { columns: [SCHEMA.blankColumn], rows: [[""]] });
    }
  });

  test("copies what it is given", () => {
    const given = { columns: [column("A")], rows: [["1"]] };
    const table = ops.normalizeTable(given, SCHEMA);
    assert.notEqual(table.rows[0], given.rows[0]);
    assert.notEqual(table.columns[0], given.columns[0]);
  });
});

describe("cells and column settings", () => {
  test("setCell changes one cell", () => {
    const table = ops.setCell(SMALL, 1, 1, "20");
    assert.deepEqual(table.rows, [
      ["a", "1"],
      ["b", "20"],
      ["c", "3"],
    ]);
    assert.equal(table.rows[0], SMALL.rows[0]); // the other rows are shared
    assert.equal(table.columns, SMALL.columns);
  });

  test("setColumnSetting changes one setting of one column", () => {
    const table = ops.setColumnSetting(SMALL, 1, "kind", "number");
    assert.equal(table.columns[1].kind, "number");
    assert.equal(table.columns[1].label, "Score");
    assert.equal(SMALL.columns[1].kind, "text");
    assert.equal(table.rows, SMALL.rows);
  });
});

describe("rows", () => {
  test("insertRow adds an empty row at a place", () => {
    assert.deepEqual(ops.insertRow(SMALL, 1).rows, [
      ["a", "1"],
      ["", ""],
      ["b", "2"],
      ["c", "3"],
    ]);
    assert.deepEqual(ops.insertRow(SMALL, 3).rows.at(-1), ["", ""]);
    assert.deepEqual(ops.insertRow(SMALL, 0).rows[0], ["", ""]);
  });

  test("deleteRow takes out a row", () => {
    assert.deepEqual(ops.deleteRow(SMALL, 0).rows, [
      ["b", "2"],
      ["c", "3"],
    ]);
  });

  test("deleteRow keeps the last row", () => {
    const one = frozen(["A"], [["x"]]);
    assert.equal(ops.deleteRow(one, 0), one);
  });

  test("moveRow moves a row up or down", () => {
    assert.deepEqual(ops.moveRow(SMALL, 0, 1).rows, [
      ["b", "2"],
      ["a", "1"],
      ["c", "3"],
    ]);
    assert.deepEqual(ops.moveRow(SMALL, 2, 0).rows, [
      ["c", "3"],
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  test("moveRow moves nothing out of the table", () => {
    assert.equal(ops.moveRow(SMALL, 0, -1), SMALL);
    assert.equal(ops.moveRow(SMALL, 2, 3), SMALL);
  });

  test("rowHasContent ignores spaces", () => {
    const table = frozen(["A", "B"], [["", " "], ["", "x"]]);
    assert.equal(ops.rowHasContent(table, 0), false);
    assert.equal(ops.rowHasContent(table, 1), true);
  });
});

describe("columns", () => {
  test("insertColumn adds the schema's blank column and an empty cell per row", () => {
    const table = ops.insertColumn(SMALL, 1, SCHEMA);
    assert.deepEqual(labels(table), ["Name", "", "Score"]);
    assert.deepEqual(table.columns[1], SCHEMA.blankColumn);
    assert.deepEqual(table.rows[0], ["a", "", "1"]);
    assert.deepEqual(labels(ops.insertColumn(SMALL, 2, SCHEMA)), ["Name", "Score", ""]);
  });

  test("deleteColumn takes out a column and its cells", () => {
    const table = ops.deleteColumn(SMALL, 0);
    assert.deepEqual(labels(table), ["Score"]);
    assert.deepEqual(table.rows, [["1"], ["2"], ["3"]]);
  });

  test("deleteColumn keeps the last column", () => {
    const one = frozen(["A"], [["x"]]);
    assert.equal(ops.deleteColumn(one, 0), one);
  });

  test("moveColumn moves a column and its cells", () => {
    const table = ops.moveColumn(SMALL, 1, 0);
    assert.deepEqual(labels(table), ["Score", "Name"]);
    assert.deepEqual(table.rows[2], ["3", "c"]);
  });

  test("moveColumn moves nothing out of the table", () => {
    assert.equal(ops.moveColumn(SMALL, 0, -1), SMALL);
    assert.equal(ops.moveColumn(SMALL, 1, 2), SMALL);
  });

  test("columnHasContent counts the label and the cells", () => {
    const table = frozen(["", "B", ""], [["", "", " x "]]);
    assert.equal(ops.columnHasContent(table, 0), false);
    assert.equal(ops.columnHasContent(table, 1), true);
    assert.equal(ops.columnHasContent(table, 2), true);
  });
});

describe("grown", () => {
  test("adds blank columns and rows at the end", () => {
    const table = ops.grown(SMALL, 4, 3, SCHEMA);
    assert.deepEqual(labels(table), ["Name", "Score", ""]);
    assert.deepEqual(table.rows, [
      ["a", "1", ""],
      ["b", "2", ""],
      ["c", "3", ""],
      ["", "", ""],
    ]);
  });

  test("never shrinks the table", () => {
    assert.deepEqual(ops.grown(SMALL, 1, 1, SCHEMA), SMALL);
  });
});

describe("pasteBlock", () => {
  test("writes the cells over the table from a place", () => {
    const table = ops.pasteBlock(SMALL, 1, 0, [["x", "y"]], { schema: SCHEMA });
    assert.deepEqual(table.rows, [
      ["a", "1"],
      ["x", "y"],
      ["c", "3"],
    ]);
    assert.deepEqual(labels(table), ["Name", "Score"]);
  });

  test("grows the table to take the block", () => {
    const table = ops.pasteBlock(
      SMALL,
      2,
      1,
      [
        ["p", "q"],
        ["r", "s"],
      ],
      { schema: SCHEMA }
    );
    assert.deepEqual(labels(table), ["Name", "Score", ""]);
    assert.deepEqual(table.rows, [
      ["a", "1", ""],
      ["b", "2", ""],
      ["c", "p", "q"],
      ["", "r", "s"],
    ]);
  });

  test("clears the cells a short row lacks, within the block", () => {
    const table = ops.pasteBlock(SMALL, 0, 0, [["x", "y"], ["z"]], { schema: SCHEMA });
    assert.deepEqual(table.rows.slice(0, 2), [
      ["x", "y"],
      ["z", ""],
    ]);
  });

  test("takes the first row as labels when asked", () => {
    const table = ops.pasteBlock(
      SMALL,
      0,
      0,
      [
        [" Region ", "Votes", "Note"],
        ["North", "1200"],
      ],
      { schema: SCHEMA, labels: true }
    );
    assert.deepEqual(labels(table), ["Region", "Votes", "Note"]);
    assert.deepEqual(table.rows[0], ["North", "1200", ""]);
    assert.deepEqual(table.rows[1], ["b", "2", ""]);
  });

  test("may set labels alone", () => {
    const table = ops.pasteBlock(SMALL, 0, 1, [["A", "B"]], { schema: SCHEMA, labels: true });
    assert.deepEqual(labels(table), ["Name", "A", "B"]);
    assert.equal(table.rows.length, 3);
  });

  test("makes each cell and label one line", () => {
    const table = ops.pasteBlock(
      SMALL,
      0,
      0,
      [
        ["Two\nlines", "x"],
        ["Tab\there", "Line one\r\nLine two"],
      ],
      { schema: SCHEMA, labels: true }
    );
    assert.deepEqual(labels(table), ["Two lines", "x"]);
    assert.deepEqual(table.rows[0], ["Tab here", "Line one Line two"]);
  });

  test("keeps the new columns' other settings from the schema", () => {
    const table = ops.pasteBlock(SMALL, 0, 2, [["x"]], { schema: SCHEMA });
    assert.deepEqual(table.columns[2], SCHEMA.blankColumn);
  });
});

describe("tableFromImport", () => {
  test("makes new columns with the file's labels, one line each", () => {
    const table = ops.tableFromImport(
      {
        columns: [{ label: "Region" }, { label: "Vo\ntes" }],
        rows: [
          ["North", "1200", "past the last column"],
          ["South", null],
        ],
      },
      SCHEMA
    );
    assert.deepEqual(table.columns, [column("Region"), column("Vo tes")]);
    assert.deepEqual(table.rows, [
      ["North", "1200"],
      ["South", ""],
    ]);
  });

  test("takes each column's kind, decimals and unit as the server proposes them", () => {
    const table = ops.tableFromImport(
      {
        columns: [{ label: "Region" }, { label: "Share" }],
        proposed: [
          { kind: "text", decimals: null, unit: "" },
          { kind: "percent", decimals: 1, unit: "" },
        ],
        rows: [["North", "12.5%"]],
      },
      SCHEMA
    );
    assert.equal(table.columns[1].kind, "percent");
    assert.equal(table.columns[1].decimals, "1");
    assert.equal(table.columns[0].kind, "text");
  });

  test("gives an empty file one column and one row", () => {
    assert.deepEqual(ops.tableFromImport({}, SCHEMA), { columns: [SCHEMA.blankColumn], rows: [[""]] });
  });
});
