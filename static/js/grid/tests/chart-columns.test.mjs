// A chart's columns follow the grid's column edits (../chart-columns.js).
// Run: node --test static/js/grid/tests/

import assert from "node:assert/strict";
import { test } from "node:test";

import { followColumns } from "../chart-columns.js";

const col = (label, kind = "number") => ({ label, kind });
const TABLE = Object.freeze({
  chart: "bar",
  chart_category: 0,
  chart_series: [1, 2],
  columns: [col("Port", "text"), col("Cargo"), col("Change", "percent")],
});

test("no chart: nothing to follow", () => {
  assert.deepEqual(followColumns({ ...TABLE, chart: "" }, []), {});
});

test("a column inserted before moves the chart's indexes on", () => {
  const after = [col("Port", "text"), col("New", "text"), col("Cargo"), col("Change", "percent")];
  assert.deepEqual(followColumns(TABLE, after), { chart_category: 0, chart_series: [2, 3] });
});

test("a moved column is found by its label", () => {
  const after = [col("Cargo"), col("Port", "text"), col("Change", "percent")];
  assert.deepEqual(followColumns(TABLE, after), { chart_category: 1, chart_series: [0, 2] });
});

test("a deleted column leaves the chart", () => {
  const after = [col("Port", "text"), col("Change", "percent")];
  assert.deepEqual(followColumns(TABLE, after), { chart_category: 0, chart_series: [1] });
});

test("a label typed over keeps its place", () => {
  const after = [col("Port", "text"), col("Tonnes"), col("Change", "percent")];
  assert.deepEqual(followColumns(TABLE, after), { chart_category: 0, chart_series: [1, 2] });
});
