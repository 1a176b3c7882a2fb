// The server's words filled in (../words.js), as Django's %-formatting does.
// Run: node --test static/js/grid/tests/

import assert from "node:assert/strict";
import { test } from "node:test";

import { format, plural } from "../words.js";

test("format fills in named placeholders", () => {
  assert.equal(format("Row %(row)s, %(column)s", { row: 2, column: "Votes" }), "Row 2, Votes");
});

test("format leaves a placeholder it has no value for, and reads %% as %", () => {
  assert.equal(format("%(a)s of %(b)s: 100%%", { a: 1 }), "1 of %(b)s: 100%");
});

test("plural takes the first form for 1 and the second for other counts", () => {
  const forms = ["%(count)s row", "%(count)s rows"];
  assert.equal(plural(forms, 1), "1 row");
  assert.equal(plural(forms, 0), "0 rows");
  const first = ["The first %(shown)s of %(count)s row", "The first %(shown)s of %(count)s rows"];
  assert.equal(plural(first, 6, { shown: 5 }), "The first 5 of 6 rows");
});
