// Text copied from spreadsheets, read as rows of cells (../tsv.js).
// Run: node --test static/js/grid/tests/

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { blockWidth, endOfCell, isBlock, oneLine, parseSheetText } from "../tsv.js";

describe("parseSheetText", () => {
  test("reads tab-separated cells, one row per line", () => {
    assert.deepEqual(parseSheetText("a\tb\nc\td"), [
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  test("reads nothing from empty text", () => {
    assert.deepEqual(parseSheetText(""), []);
  });

  test("ends lines at CRLF as at LF, and at a lone CR", () => {
    assert.deepEqual(parseSheetText("a\tb\r\nc\td\re"), [["a", "b"], ["c", "d"], ["e"]]);
  });

  test("starts no row after the line break that ends the last", () => {
    assert.deepEqual(parseSheetText("a\tb\r\n"), [["a", "b"]]);
    assert.deepEqual(parseSheetText("a\n"), [["a"]]);
  });

  test("keeps a blank line between rows as a row of one empty cell", () => {
    assert.deepEqual(parseSheetText("a\n\nb"), [["a"], [""], ["b"]]);
  });

  test("keeps empty cells, at the ends of rows too", () => {
    assert.deepEqual(parseSheetText("\ta\t\n\t\t"), [
      ["", "a", ""],
      ["", "", ""],
    ]);
  });

  test("keeps ragged rows as long as they are", () => {
    assert.deepEqual(parseSheetText("a\tb\tc\nd\ne\tf"), [["a", "b", "c"], ["d"], ["e", "f"]]);
  });

  test("reads a tab inside a quoted cell as text", () => {
    assert.deepEqual(parseSheetText('"Tab\there"\tnext'), [["Tab\there", "next"]]);
  });

  test("reads line breaks inside a quoted cell as text", () => {
    assert.deepEqual(parseSheetText('"Line one\nLine two"\tx\r\n"CR\r\nLF"\ty\r\n'), [
      ["Line one\nLine two", "x"],
      ["CR\r\nLF", "y"],
    ]);
  });

  test("reads doubled quotes inside a quoted cell as one", () => {
    assert.deepEqual(parseSheetText('"Said ""no"""\t""""'), [['Said "no"', '"']]);
  });

  test("reads an empty quoted cell as empty", () => {
    assert.deepEqual(parseSheetText('""\ta'), [["", "a"]]);
  });

  test("takes a quote as text when the cell goes on after its closing quote", () => {
    assert.deepEqual(parseSheetText('"12" screen\tx'), [['"12" screen', "x"]]);
  });

  test("takes a quote as text when it never closes", () => {
    assert.deepEqual(parseSheetText('"open\tb\nc'), [['"open', "b"], ["c"]]);
  });

  test("takes a quote inside a cell as text", () => {
    assert.deepEqual(parseSheetText('5" wide\tb'), [['5" wide', "b"]]);
  });

  test("reads a block as Excel puts it on the clipboard", () => {
    const text =
      "Region\tVotes\tShare\tNote\r\n" +
      'North\t1200\t40\t"Tab\there"\r\n' +
      'South\t900\t30\t"Line one\nLine two"\r\n' +
      'East\t900\t30\t"Said ""no"""\r\n';
    assert.deepEqual(parseSheetText(text), [
      ["Region", "Votes", "Share", "Note"],
      ["North", "1200", "40", "Tab\there"],
      ["South", "900", "30", "Line one\nLine two"],
      ["East", "900", "30", 'Said "no"'],
    ]);
  });
});

describe("endOfCell", () => {
  test("finds the tab or line break that ends a cell", () => {
    assert.equal(endOfCell("ab\tc", 0), 2);
    assert.equal(endOfCell("ab\r\nc", 1), 2);
    assert.equal(endOfCell("a\tbc\nd", 2), 4);
  });

  test("finds the end of the text after the last cell", () => {
    assert.equal(endOfCell("abc", 1), 3);
    assert.equal(endOfCell("", 0), 0);
  });
});

describe("oneLine", () => {
  test("turns tabs and line breaks, with the spaces round them, into one space", () => {
    assert.equal(oneLine("Line one \r\n  Line two\tend"), "Line one Line two end");
  });

  test("leaves text of one line as it is", () => {
    assert.equal(oneLine("  two  spaces "), "  two  spaces ");
  });
});

describe("isBlock and blockWidth", () => {
  test("one cell is a value, not a block", () => {
    assert.equal(isBlock([["a"]]), false);
    assert.equal(isBlock([]), false);
    assert.equal(isBlock([["a", "b"]]), true);
    assert.equal(isBlock([["a"], ["b"]]), true);
  });

  test("a block is as wide as its longest row", () => {
    assert.equal(blockWidth([["a"], ["b", "c", "d"], []]), 3);
    assert.equal(blockWidth([]), 0);
  });
});
