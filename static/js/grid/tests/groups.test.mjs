// Column groups in the grid (../table-ops.js): each column's "group" text,
// neighbours with the same one being one group of the snapshot's.
// Run: node --test static/js/grid/tests/

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as ops from "../table-ops.js";

// As articles/admin/grid.py script_schema() gives it.
const SCHEMA = Object.freeze({
  kinds: [["text", "Text"]],
  aligns: [["auto", "Automatic"]],
  columnFields: ["label", "kind", "unit", "decimals", "align", "group"],
  blankColumn: { label: "", kind: "text", unit: "", decimals: "", align: "auto", group: "" },
  autoAlign: "auto",
  defaultAlign: { text: "left" },
});

const RESULTS = Object.freeze({
  columns: ["", "Wins", "Losses", "Wins", "Losses"].map((label) => ({ label })),
  groups: [
    { label: "2024", start: 1, span: 2 },
    { label: "2025", start: 3, span: 2 },
  ],
  rows: [["Lions", "10", "2", "8", "4"]],
});

const groupsOf = (table) => ops.groupRuns(table.columns.map((column) => column.group));

describe("column groups", () => {
  test("a table's groups become its columns' group, and come back the same", () => {
    const table = ops.normalizeTable(RESULTS, SCHEMA);
    assert.deepEqual(
      table.columns.map((column) => column.group),
      ["", "2024", "2024", "2025", "2025"],
    );
    assert.deepEqual(groupsOf(table), RESULTS.groups);
  });

  test("neighbours with the same group are one; apart, or different, they are not", () => {
    assert.deepEqual(ops.groupRuns(["A", " A ", "", "A", "B"]), [
      { label: "A", start: 0, span: 2 },
      { label: "A", start: 3, span: 1 },
      { label: "B", start: 4, span: 1 },
    ]);
    assert.deepEqual(ops.groupRuns(["", " "]), []);
  });

  test("a column keeps its group when columns are inserted, moved or deleted", () => {
    let table = ops.normalizeTable(RESULTS, SCHEMA);
    table = ops.insertColumn(table, 3, SCHEMA);
    assert.deepEqual(groupsOf(table), [
      { label: "2024", start: 1, span: 2 },
      { label: "2025", start: 4, span: 2 },
    ]);
    table = ops.deleteColumn(table, 3);
    table = ops.deleteColumn(table, 1);
    assert.deepEqual(groupsOf(table), [
      { label: "2024", start: 1, span: 1 },
      { label: "2025", start: 2, span: 2 },
    ]);
    table = ops.moveColumn(table, 1, 3);
    assert.deepEqual(groupsOf(table), [
      { label: "2025", start: 1, span: 2 },
      { label: "2024", start: 3, span: 1 },
    ]);
  });

  test("typing a group over a column joins its neighbour's", () => {
    let table = ops.normalizeTable({ ...RESULTS, groups: [] }, SCHEMA);
    table = ops.setColumnSetting(table, 1, "group", "2024");
    table = ops.setColumnSetting(table, 2, "group", "2024");
    assert.deepEqual(groupsOf(table), [{ label: "2024", start: 1, span: 2 }]);
  });

  test("groups past the columns are ignored", () => {
    assert.deepEqual(ops.groupLabels([{ label: "X", start: 1, span: 5 }], 3), ["", "X", "X"]);
  });
});
